import { KafkaConnectionError } from './kafka-error.js';

/**
 * Kafka error types that go away by themselves: a partition without a leader yet, a broker that is
 * not (or no longer) the leader, or a partition the broker does not host yet (just after the topic
 * was created). Some clients spell NOT_LEADER_OR_FOLLOWER by its older name NOT_LEADER_FOR_PARTITION.
 */
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** The Kafka protocol codes of {@link TRANSIENT_TYPES}, for clients that report only the code. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([3, 5, 6]);

/** Node's socket error codes of a refused, reset or timed-out connection. */
const CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

/** Wrappers (a client's retrier, our adapters) nest a few levels deep; the bound guards against a cyclic `cause`. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether a Kafka client error is temporary: NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE,
 * UNKNOWN_TOPIC_OR_PARTITION (by `type` or protocol `code`), or a connection error
 * ({@link KafkaConnectionError}, what an adapter throws for a connection that failed or timed out,
 * unless it is not `retriable`, such as a failed SASL authentication; or an error with Node's code of a
 * refused or reset socket). Looks through the `cause` chain, so a wrapper such as a client retrier's
 * "retries exceeded" counts by the error it wraps. Anything else (bad arguments, authorization,
 * storage) is not.
 */
export function isTransientKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return false;
  if (error instanceof KafkaConnectionError) return error.retriable;
  const { type, code, cause } = error as { type?: unknown; code?: unknown; cause?: unknown };
  if (typeof type === 'string' && TRANSIENT_TYPES.has(type)) return true;
  if (typeof code === 'number' && TRANSIENT_CODES.has(code)) return true;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return isTransientKafkaError(cause, depth + 1);
}
