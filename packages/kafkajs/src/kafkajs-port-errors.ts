import { GokaError, KafkaConnectionError } from '@goka/core';
import { isRetriableError } from '@goka/core/kafka';
import { isRetriableKafkaError, kafkajsErrorName } from './kafkajs-errors.js';
import { findCause } from './util.js';

/**
 * What the adapter throws out of the port for kafkajs' failures. Core judges errors by their
 * `retriable` flags only (`isRetriableError` of `@goka/core/kafka`) and waits out a
 * `KafkaConnectionError` where it waits for a cluster; kafkajs' own flags mostly say the same as this
 * adapter's classification (`kafkajs-errors.ts`), and where they do not, these functions make them.
 */

/** kafkajs' errors of a connection that failed, closed or timed out (matched by name). */
const CONNECTION_NAMES: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/**
 * This adapter's verdict on a failure, over its whole cause chain: the first `GokaError` decides by its
 * `retriable` flag (as core's rule); before one, an error that {@link isRetriableKafkaError} retries
 * makes it retriable (kafkajs wraps a connection error in `KafkaJSNonRetriableError` or
 * `KafkaJSNumberOfRetriesExceeded` once its own retrier gave up; the caller's retries go on from there).
 */
export function isRetriableFailure(error: unknown): boolean {
  return findCause(error, (cause) => (cause instanceof GokaError ? cause.retriable : isRetriableKafkaError(cause) ? true : undefined)) === true;
}

/**
 * The error this adapter throws for a kafkajs failure that leaves it through the port, so that core's
 * rule (`isRetriableError` of `@goka/core/kafka`, which reads only `retriable` flags) says what this
 * adapter means: the error itself when core's rule already agrees with {@link isRetriableFailure} (almost
 * always: kafkajs flags its errors), else a `GokaError` with the same message, the adapter's verdict
 * and the error as its cause (kafkajs flags a rejected TLS certificate retriable, and a lock timeout not).
 */
export function portError(error: unknown): unknown {
  if (error instanceof GokaError) return error;
  const retriable = isRetriableFailure(error);
  if (isRetriableError(error) === retriable) return error;
  return new GokaError('GOKA_KAFKA_REQUEST', error instanceof Error ? error.message : String(error), { cause: error, retriable });
}

/** Whether a failure is kafkajs' error of a connection that failed, closed or timed out (also behind its retrier). */
export function isConnectionFailure(error: unknown): boolean {
  return findCause(error, (cause) => (CONNECTION_NAMES.has(kafkajsErrorName(cause)) ? true : undefined)) === true;
}

/**
 * {@link portError} of a request to a cluster (`brokers`, client `clientId`): a failed, closed or
 * timed-out connection becomes a `KafkaConnectionError` (retriable unless the adapter says otherwise, e.g.
 * a rejected certificate), which core treats as temporary where it waits for a cluster.
 */
export function requestError(error: unknown, brokers: readonly string[], clientId: string): unknown {
  if (error instanceof GokaError || !isConnectionFailure(error)) return portError(error);
  return new KafkaConnectionError(brokers, clientId, { cause: error, retriable: isRetriableFailure(error) });
}
