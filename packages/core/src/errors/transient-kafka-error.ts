import { KafkaConnectionError } from './kafka-error.js';

/**
 * Kafka error types that go away by themselves: a partition without a leader yet, a broker that is
 * not (or no longer) the leader, or a partition the broker does not host yet (just after the topic
 * was created). kafkajs spells NOT_LEADER_OR_FOLLOWER by its older name NOT_LEADER_FOR_PARTITION.
 */
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** The Kafka protocol codes of {@link TRANSIENT_TYPES}, for clients that report only the code. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([3, 5, 6]);

/** Connection and timeout errors of kafkajs (matched by name: core does not import kafkajs). */
const CONNECTION_NAMES: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/** Node's socket error codes of a refused, reset or timed-out connection. */
const CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Wrappers (kafkajs' retrier, our adapters) nest a few levels deep; the bound guards against a cyclic `cause`. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether a Kafka client error is temporary: NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE,
 * UNKNOWN_TOPIC_OR_PARTITION (by `type` or protocol `code`), or a connection error
 * ({@link KafkaConnectionError} unless it is not `retriable`, such as a failed SASL authentication;
 * kafkajs' connection/timeout errors, a refused or reset socket).
 * Looks through the `cause` chain, so a wrapper such as kafkajs' `KafkaJSNumberOfRetriesExceeded`
 * counts by the error it wraps. Anything else (bad arguments, authorization, storage) is not.
 */
export function isTransientKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return false;
  if (error instanceof KafkaConnectionError) return error.retriable;
  const { type, code, name, cause } = error as { type?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  if (typeof type === 'string' && TRANSIENT_TYPES.has(type)) return true;
  if (typeof code === 'number' && TRANSIENT_CODES.has(code)) return true;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (typeof name === 'string' && CONNECTION_NAMES.has(name)) return true;
  return isTransientKafkaError(cause, depth + 1);
}
