import { GokaError } from '../errors/goka-error.js';
import { findCause } from '../util/cause-chain.js';

/**
 * Whether a Kafka operation that failed with `error` may succeed when it is tried again: the engine's
 * one rule for what a Kafka adapter throws (it never looks at a client library's error classes). The
 * adapter decides, through the `retriable` flag of what it throws:
 * - the first `GokaError` in the cause chain (the error itself first) decides by its `retriable` flag;
 *   adapters throw core's errors (`ProduceFailedError`, `KafkaConnectionError`, ...) with it set;
 * - an error before it that is flagged `retriable: true` (a client's own error, such as a refused
 *   connection that the client's retrier wrapped) makes it retriable;
 * - anything else is not.
 */
export function isRetriableError(error: unknown): boolean {
  return findCause(error, (cause) => (cause instanceof GokaError ? cause.retriable : (cause as { retriable?: unknown }).retriable === true ? true : undefined)) === true;
}

/**
 * Whether a failed produce may succeed when sent again ({@link isRetriableError}). Used by the
 * processor's outputs and by the emitter.
 */
export function isRetriableProduceError(error: unknown): boolean {
  return isRetriableError(error);
}
