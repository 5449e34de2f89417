import { errorMessage } from '../util/error-message.js';
import { KafkaConnectionError } from './kafka-error.js';
import type { KafkaConnectionErrorOptions } from './kafka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/**
 * `processor group "g" could not authenticate to Kafka at 127.0.0.1:9094 (client "c") with SASL SCRAM-SHA-256
 * as user "goka": <reason>; check sasl.username and sasl.password (not retried)`.
 */
export function kafkaAuthenticationFailed(
  brokers: readonly string[],
  clientId: string,
  mechanism: string,
  username: string | undefined,
  reason: string,
  component?: string,
): string {
  const who = component === undefined ? '' : `${component} `;
  const as = username === undefined ? '' : ` as user ${quote(username)}`;
  return (
    `${who}could not authenticate to Kafka at ${brokers.join(',')} (client ${quote(clientId)}) with SASL ${mechanism}${as}: ` +
    `${reason}; check the sasl option (mechanism, username, password) against the broker's users (not retried)`
  );
}

/**
 * What went wrong with TLS: the broker's `certificate` was rejected, the TLS `handshake` was cut off (a TLS
 * client on a plaintext port), or the broker closed the connection of a client `without-tls` before
 * answering (a plaintext client on a TLS port).
 */
export type TlsProblem = 'certificate' | 'handshake' | 'without-tls';

const TLS_PROBLEMS: Readonly<Record<TlsProblem, (reason: string) => string>> = {
  certificate: (reason) =>
    `TLS problem: the broker's certificate was rejected (${reason}); trust the CA that signed it ` +
    "(ssl: { ca: [fs.readFileSync('ca.pem')] }) and connect to a name or IP address the certificate lists",
  handshake: (reason) =>
    `TLS problem: the connection closed before the TLS handshake completed (${reason}); is the port a TLS ` +
    'listener (SSL or SASL_SSL)? A PLAINTEXT or SASL_PLAINTEXT listener drops a TLS client',
  'without-tls': (reason) =>
    `probably a TLS problem: the broker closed the connection before answering the first request (${reason}), ` +
    'as a TLS listener (SSL or SASL_SSL) does with a client that does not speak TLS; if it is one, set the ssl ' +
    "option (ssl: true, or ssl: { ca: [fs.readFileSync('ca.pem')] } for a private CA)",
};

/** `view of table "t" cannot connect to Kafka at 127.0.0.1:9094 (client "c"): TLS problem: ...`. */
export function kafkaTlsFailed(
  brokers: readonly string[],
  clientId: string,
  problem: TlsProblem,
  reason: string,
  component?: string,
): string {
  const who = component === undefined ? '' : `${component} `;
  return `${who}cannot connect to Kafka at ${brokers.join(',')} (client ${quote(clientId)}): ${TLS_PROBLEMS[problem](reason)}`;
}

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
  static override readonly code: GokaErrorCode = 'GOKA_KAFKA_AUTHENTICATION';

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
  readonly tlsCode?: string | undefined;
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
  static override readonly code: GokaErrorCode = 'GOKA_KAFKA_TLS';

  readonly problem: TlsProblem;
  /** Node's TLS error code when there is one (`code` is this error's own, `GOKA_KAFKA_TLS`). */
  readonly tlsCode: string | undefined;

  constructor(brokers: readonly string[], clientId: string, options: KafkaTlsErrorOptions) {
    const { problem, tlsCode, ...rest } = options;
    const message = kafkaTlsFailed(brokers, clientId, problem, reasonOf(options.cause), options.component);
    super(brokers, clientId, { retriable: problem !== 'certificate', ...rest }, message);
    this.problem = problem;
    this.tlsCode = tlsCode;
  }

  override forComponent(component: string): KafkaTlsError {
    return new KafkaTlsError(this.brokers, this.clientId, {
      component,
      problem: this.problem,
      tlsCode: this.tlsCode,
      retriable: this.retriable,
      ...('cause' in this ? { cause: this.cause } : {}),
    });
  }
}
