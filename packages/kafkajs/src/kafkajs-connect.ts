import { GokaError, KafkaConnectionError } from '@goka/core';
import { kafkaConnectTimedOut } from './messages.js';
import { sleep } from './util.js';
import { isRetriableKafkaError } from './kafkajs-errors.js';
import type { RawCluster } from './kafkajs-internals.js';
import { securityConnectError } from './kafkajs-security-errors.js';
import type { ConnectSecurity } from './kafkajs-security-errors.js';

/** How a client's first connect is bounded and reported. */
export interface BoundedConnectSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The adapter's `connectionTimeout`: how long the first connect looks for a broker, ms. */
  readonly timeoutMs: number;
  /**
   * A throw-away cluster that tries each bootstrap broker once (kafkajs retries = brokers - 1, so its
   * seed broker rotates through the list) and is disconnected after the attempt.
   */
  readonly probe: () => RawCluster;
  /** Whether the client uses TLS, and its SASL mechanism and user: they explain a failed connect. */
  readonly security?: ConnectSecurity | undefined;
}

const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 1000;

/**
 * Connects through `connect` once some bootstrap broker answers, and fails within about
 * `timeoutMs` when none does. kafkajs' own connect retries for 6–10 s (more with unreachable hosts)
 * and then throws `KafkaJSNumberOfRetriesExceeded` naming nothing; here probe rounds over the broker
 * list repeat until `timeoutMs` passed (a round is never cut short: with hosts that do not answer at
 * all, one round takes the brokers' count times `timeoutMs`), and then a {@link KafkaConnectionError}
 * names brokers, client id and the last cause. A non-retriable cause fails at once, also as a
 * `KafkaConnectionError` (not retriable). SASL and TLS failures are typed (see `securityConnectError`): a
 * refused SASL authentication is a `KafkaAuthenticationError` and a rejected broker certificate a
 * `KafkaTlsError`, both at once and not retriable; a TLS handshake cut off (TLS client, plaintext port) or a
 * connection closed before any answer (plaintext client, TLS port) is retried like a connection error
 * and, when the time is up, reported as a `KafkaTlsError`.
 */
export async function connectBounded(settings: BoundedConnectSettings, connect: () => Promise<void>): Promise<void> {
  const { brokers, clientId, timeoutMs } = settings;
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const failure = await probeOnce(settings.probe());
    if (failure === undefined) break;
    if (!isRetriableKafkaError(failure)) {
      throw securityConnectError(settings, failure) ?? new KafkaConnectionError(brokers, clientId, { cause: failure, retriable: false });
    }
    const left = timeoutMs - (performance.now() - started);
    if (left <= 0) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      const cause = new GokaError('GOKA_KAFKA_CONNECT_TIMEOUT', kafkaConnectTimedOut(timeoutMs, reason), { cause: failure, retriable: true });
      throw securityConnectError(settings, failure, cause) ?? new KafkaConnectionError(brokers, clientId, { cause });
    }
    await sleep(Math.min(left, FIRST_PAUSE_MS * 2 ** Math.min(attempt, 10), MAX_PAUSE_MS));
  }
  try {
    await connect();
  } catch (error) {
    const typed = securityConnectError(settings, error);
    if (typed !== undefined) throw typed;
    if (!isRetriableKafkaError(error)) throw error;
    throw new KafkaConnectionError(brokers, clientId, { cause: error });
  }
}

/** One connect attempt of a throw-away cluster: `undefined` when it connected, else the error. */
async function probeOnce(cluster: RawCluster): Promise<unknown> {
  try {
    await cluster.connect();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}
