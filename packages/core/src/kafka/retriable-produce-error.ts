import { GokaError } from '../errors/goka-error.js';
import { isRetriableKafkaError } from './kafkajs/kafkajs-errors.js';

/** Wrappers nest only a few levels deep; the bound guards against a cyclic `cause`. */
const MAX_CAUSE_DEPTH = 6;

/**
 * Whether a failed produce may succeed when sent again: a retriable library error, or an error whose
 * cause chain holds a retriable kafkajs error (connection, timeout, leadership). kafkajs wraps a
 * connection error in `KafkaJSNonRetriableError` or `KafkaJSNumberOfRetriesExceeded` once its own
 * retrier gave up reconnecting; the sender's retries go on from there. Used by the processor's
 * outputs and by the emitter.
 */
export function isRetriableProduceError(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof GokaError ? current.retriable : isRetriableKafkaError(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
