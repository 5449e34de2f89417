import { GokaError } from '../errors/goka-error.js';
import { ProduceFailedError } from '../errors/kafka-error.js';
import { emitterMissingOffset } from '../errors/messages.js';
import type { KafkaProducer } from '../kafka/producer.js';
import type { Hasher } from '../partitioner/hasher.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { UNASSIGNED } from './pending-record.js';
import type { PendingRecord } from './pending-record.js';

/**
 * Sends one batch and settles every record of it: each resolves with its offset once the broker
 * acknowledged the send, and all reject with the send's error when it fails. Records are assigned
 * their partition first (Goka's rule with `hasher`); a record whose hasher throws is rejected alone.
 * Never rejects itself.
 */
export async function sendBatch(
  producer: KafkaProducer,
  batch: PendingRecord[],
  partitionCount: number,
  hasher: Hasher,
): Promise<void> {
  const records = assignPartitions(batch, partitionCount, hasher);
  if (records.length === 0) return;
  let offsets;
  try {
    offsets = await producer.send(records);
  } catch (error) {
    for (const record of records) record.reject(error);
    return;
  }
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as PendingRecord;
    const offset = offsets[i];
    if (offset !== undefined) record.resolve(offset);
    else record.reject(missingOffset(record));
  }
}

function assignPartitions(batch: PendingRecord[], partitionCount: number, hasher: Hasher): PendingRecord[] {
  let failures = 0;
  for (const record of batch) {
    try {
      record.partition = partitionFor(record.keyText, partitionCount, hasher);
    } catch (error) {
      record.partition = UNASSIGNED;
      record.reject(error);
      failures++;
    }
  }
  return failures === 0 ? batch : batch.filter((record) => record.partition !== UNASSIGNED);
}

function missingOffset(record: PendingRecord): ProduceFailedError {
  const cause = new GokaError(emitterMissingOffset(record.topic, record.partition));
  return new ProduceFailedError(record.topic, record.partition, { cause });
}
