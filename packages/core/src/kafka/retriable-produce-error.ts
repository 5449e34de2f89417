import { GokaError } from '../errors/goka-error.js';
import { findCause } from '../util/cause-chain.js';
import { isRetriableKafkaError } from './kafkajs/kafkajs-errors.js';

/**
 * Whether a failed produce may succeed when sent again: a retriable library error, or an error whose
 * cause chain holds a retriable kafkajs error (connection, timeout, leadership). kafkajs wraps a
 * connection error in `KafkaJSNonRetriableError` or `KafkaJSNumberOfRetriesExceeded` once its own
 * retrier gave up reconnecting; the sender's retries go on from there. Used by the processor's
 * outputs and by the emitter.
 */
export function isRetriableProduceError(error: unknown): boolean {
  return findCause(error, (cause) => ((cause instanceof GokaError ? cause.retriable : isRetriableKafkaError(cause)) ? true : undefined)) === true;
}
