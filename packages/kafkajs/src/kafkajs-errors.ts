import { isTlsCertificateError } from './kafkajs-security-errors.js';

/**
 * How the kafkajs adapter classifies kafkajs' errors (by `name`, `type` and `retriable`, so that no
 * kafkajs error class has to be imported at runtime).
 */

/** kafkajs errors that are worth retrying whatever their `retriable` flag says. */
export const RETRIABLE_NAMES: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSLockTimeout',
]);

/** kafkajs' error when its own retrier gave up; never `retriable`, its `cause` is the last error. */
const RETRIES_EXCEEDED = 'KafkaJSNumberOfRetriesExceeded';

/** Wrappers nest only a few levels deep; the bound guards against a cyclic `cause`. */
const MAX_CAUSE_DEPTH = 5;

/** The error's `name` (`''` for a non-object). */
export function kafkajsErrorName(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name) : '';
}

/** A fetch asked for an offset the partition no longer (or not yet) has. */
export function isOffsetOutOfRange(error: unknown): boolean {
  return kafkajsErrorName(error) === 'KafkaJSOffsetOutOfRange';
}

/** The broker does not know the topic (or partition); also when kafkajs' retrier gave up on that. */
export function isUnknownTopic(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return false;
  if ((error as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  return kafkajsErrorName(error) === RETRIES_EXCEEDED && isUnknownTopic((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Whether trying the same Kafka call again later may succeed: kafkajs' `retriable` flag or a connection
 * or timeout error, except a rejected TLS certificate. `KafkaJSNumberOfRetriesExceeded` (kafkajs' retrier
 * gave up, e.g. reconnecting to a broker that is down) is judged by its cause: the caller's own retry
 * policy decides how long to go on.
 */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return false;
  const name = kafkajsErrorName(error);
  if (name === RETRIES_EXCEEDED) return isRetriableKafkaError((error as { cause?: unknown }).cause, depth + 1);
  // A rejected broker certificate comes as a connection error, but connecting again will not help.
  if (isTlsCertificateError(error)) return false;
  return (error as { retriable?: unknown }).retriable === true || RETRIABLE_NAMES.has(name);
}
