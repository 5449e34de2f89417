import { GokaError } from '../errors/goka-error.js';
import { ProduceFailedError } from '../errors/kafka-error.js';
import { emitterMissingOffset } from './emitter.messages.js';
import type { KafkaProducer } from '../kafka/producer.js';
import type { Hasher } from '../partitioner/hasher.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { UNASSIGNED } from './pending-record.js';
import type { PendingRecord } from './pending-record.js';

/** A send that failed: its error and the records of the batch that were not written, in order. */
export interface SendFailure {
  readonly error: unknown;
  readonly unsent: PendingRecord[];
}

/**
 * Sends one batch. Records are assigned their partition first (Goka's rule with `hasher`; records
 * retried keep theirs); a record whose hasher throws is rejected alone. When the send succeeds,
 * each record resolves with its offset and the result is `undefined`. When it fails, the records the
 * broker acknowledged before the failure (`ProduceFailedError.acknowledgedOffsets`) resolve, and
 * the others are returned unsettled with the error: the caller retries or rejects them.
 * Never rejects itself.
 */
export async function sendBatch(
  producer: KafkaProducer,
  batch: PendingRecord[],
  partitionCount: number,
  hasher: Hasher,
): Promise<SendFailure | undefined> {
  const records = assignPartitions(batch, partitionCount, hasher);
  if (records.length === 0) return undefined;
  let offsets;
  try {
    offsets = await producer.send(records);
  } catch (error) {
    return { error, unsent: settleAcknowledged(records, error) };
  }
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as PendingRecord;
    const offset = offsets[i];
    if (offset !== undefined) record.resolve(offset);
    else record.reject(missingOffset(record));
  }
  return undefined;
}

/** Resolves the records a failed send wrote anyway and returns the others. */
function settleAcknowledged(records: PendingRecord[], error: unknown): PendingRecord[] {
  const acknowledged = error instanceof ProduceFailedError ? error.acknowledgedOffsets : undefined;
  if (acknowledged === undefined) return records;
  const unsent: PendingRecord[] = [];
  records.forEach((record, index) => {
    const offset = acknowledged[index] ?? -1;
    if (offset >= 0) record.resolve({ topic: record.topic, partition: record.partition, offset });
    else unsent.push(record);
  });
  return unsent;
}

function assignPartitions(batch: PendingRecord[], partitionCount: number, hasher: Hasher): PendingRecord[] {
  let failures = 0;
  for (const record of batch) {
    if (record.partition !== UNASSIGNED) continue;
    try {
      record.partition = partitionFor(record.keyText, partitionCount, hasher);
    } catch (error) {
      record.reject(error);
      failures++;
    }
  }
  return failures === 0 ? batch : batch.filter((record) => record.partition !== UNASSIGNED);
}

function missingOffset(record: PendingRecord): ProduceFailedError {
  const cause = new GokaError('GOKA_KAFKA_ADAPTER_CONTRACT', emitterMissingOffset(record.topic, record.partition));
  return new ProduceFailedError(record.topic, record.partition, { cause });
}
