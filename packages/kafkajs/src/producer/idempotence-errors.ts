import { ProducerSequenceError } from '@goka/core';
import type { BatchSequence } from './producer-sequences.js';

/** Kafka's error codes of an idempotent producer's batch. */
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const DUPLICATE_SEQUENCE_NUMBER = 46;
const INVALID_PRODUCER_EPOCH = 47;
const UNKNOWN_PRODUCER_ID = 59;
const PRODUCER_FENCED = 90;

const REASONS: Readonly<Record<number, string>> = {
  [OUT_OF_ORDER_SEQUENCE_NUMBER]: 'the broker expected another sequence number (a batch before it was lost)',
  [DUPLICATE_SEQUENCE_NUMBER]: 'the broker saw this sequence number before, longer ago than it remembers',
  [INVALID_PRODUCER_EPOCH]: 'a newer producer with the same id fenced this one',
  [PRODUCER_FENCED]: 'a newer producer with the same id fenced this one',
};

/**
 * The typed error of an idempotence error code of a partition: a {@link ProducerSequenceError} for an
 * out-of-order or duplicate sequence number and for a fenced producer; `'unknown-producer'` when the
 * broker no longer knows the producer id (a new one is taken); `undefined` for any other code.
 */
export function idempotenceError(
  code: number,
  topic: string,
  partition: number,
  sequence: BatchSequence | undefined,
  cause: Error,
): ProducerSequenceError | 'unknown-producer' | undefined {
  if (code === UNKNOWN_PRODUCER_ID) return 'unknown-producer';
  const reason = REASONS[code];
  if (reason === undefined) return undefined;
  return new ProducerSequenceError({ topic, partition, reason, fenced: code === INVALID_PRODUCER_EPOCH || code === PRODUCER_FENCED, sequence, cause });
}
