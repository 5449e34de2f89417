import { DeliveryTimeoutError } from '../errors/emitter-error.js';
import { ProduceFailedError } from '../errors/kafka-error.js';
import { UNASSIGNED } from './pending-record.js';
import type { PendingRecord } from './pending-record.js';
import type { RecordQueue } from './record-queue.js';

/** Rejects the records of `queues` (not in flight) whose delivery timeout passed, oldest first. */
export function expireRecords(topic: string, queues: readonly RecordQueue[], deliveryTimeoutMs: number, lastError: unknown): void {
  const now = performance.now();
  const emittedBy = now - deliveryTimeoutMs;
  for (const queue of queues) {
    for (const record of queue.takeEmittedBy(emittedBy)) {
      record.reject(
        new DeliveryTimeoutError({
          topic,
          key: record.keyText,
          partition: record.partition === UNASSIGNED ? undefined : record.partition,
          deliveryTimeoutMs,
          elapsedMs: Math.round(now - record.emittedAt),
          cause: lastError,
        }),
      );
    }
  }
}

/**
 * A non-retriable failure rejects the records it concerns. When the producer tells which records
 * were written (`acknowledgedOffsets`), that is the failed topic-partition's records; the others of
 * the send (other partitions, not written) are returned, to be sent again at once.
 */
export function rejectFailedRecords(error: unknown, unsent: readonly PendingRecord[]): PendingRecord[] {
  if (!(error instanceof ProduceFailedError) || error.acknowledgedOffsets === undefined) {
    for (const record of unsent) record.reject(error);
    return [];
  }
  const others: PendingRecord[] = [];
  for (const record of unsent) {
    if (record.partition === error.partition && record.topic === error.topic) record.reject(error);
    else others.push(record);
  }
  return others;
}
