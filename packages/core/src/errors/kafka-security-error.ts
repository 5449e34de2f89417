import { errorMessage } from '../util/error-message.js';
import { KafkaConnectionError } from './kafka-error.js';
import type { KafkaConnectionErrorOptions } from './kafka-error.js';
import { kafkaAuthenticationFailed, kafkaTlsFailed } from './messages.js';
import type { TlsProblem } from './messages.js';

export type { TlsProblem } from './messages.js';

const reasonOf = (cause: unknown): string => errorMessage(cause ?? 'unknown');

/** Options of {@link KafkaAuthenticationError}. */
export interface KafkaAuthenticationErrorOptions extends KafkaConnectionErrorOptions {
  /** The SASL mechanism, in Kafka's spelling: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`, … */
  readonly mechanism: string;
  /** The SASL user, when the mechanism has one (never the password). */
  readonly username?: string | undefined;
}

/**
 * The broker refused the client's SASL authentication (wrong user or password, or a mechanism the broker
 * does not enable). Never retriable: it fails at once, with no retries and no fallback to another
 * mechanism or to plaintext. A {@link KafkaConnectionError}, so code that handles start-up connection
 * failures handles it too.
 */
export class KafkaAuthenticationError extends KafkaConnectionError {
  readonly mechanism: string;
  readonly username: string | undefined;

  constructor(brokers: readonly string[], clientId: string, options: KafkaAuthenticationErrorOptions) {
    const { mechanism, username, ...rest } = options;
    const message = kafkaAuthenticationFailed(brokers, clientId, mechanism, username, reasonOf(options.cause), options.component);
    super(brokers, clientId, { ...rest, retriable: false }, message);
    this.mechanism = mechanism;
    this.username = username;
  }

  override forComponent(component: string): KafkaAuthenticationError {
    return new KafkaAuthenticationError(this.brokers, this.clientId, {
      component,
      mechanism: this.mechanism,
      username: this.username,
      ...('cause' in this ? { cause: this.cause } : {}),
    });
  }
}

/** Options of {@link KafkaTlsError}. */
export interface KafkaTlsErrorOptions extends KafkaConnectionErrorOptions {
  readonly problem: TlsProblem;
  /** Node's TLS error code when there is one, e.g. `SELF_SIGNED_CERT_IN_CHAIN`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  readonly code?: string | undefined;
}

/**
 * A TLS problem between client and broker: `problem` is `certificate` (the broker's certificate is not
 * trusted or does not match the address: not retriable), `handshake` (the TLS handshake was cut off, as a
 * plaintext listener does to a TLS client) or `without-tls` (the broker closed the connection of a client
 * without TLS before answering, as a TLS listener does). The last two may be a broker going down, so they
 * are retried for the adapter's `connectionTimeout` first and stay `retriable`. A
 * {@link KafkaConnectionError}.
 */
export class KafkaTlsError extends KafkaConnectionError {
  readonly problem: TlsProblem;
  readonly code: string | undefined;

  constructor(brokers: readonly string[], clientId: string, options: KafkaTlsErrorOptions) {
    const { problem, code, ...rest } = options;
    const message = kafkaTlsFailed(brokers, clientId, problem, reasonOf(options.cause), options.component);
    super(brokers, clientId, { retriable: problem !== 'certificate', ...rest }, message);
    this.problem = problem;
    this.code = code;
  }

  override forComponent(component: string): KafkaTlsError {
    return new KafkaTlsError(this.brokers, this.clientId, {
      component,
      problem: this.problem,
      code: this.code,
      retriable: this.retriable,
      ...('cause' in this ? { cause: this.cause } : {}),
    });
  }
}
