import type { OutgoingMessage } from '@goka/core/kafka';

/** Most record bytes in one partition's batch of one request (the broker's default message limit is 1 MiB). */
export const MAX_BATCH_BYTES = 512 * 1024;
/** Upper bound of a record's framing in a record batch (length, attributes, deltas, key/value lengths). */
const RECORD_OVERHEAD_BYTES = 24;

/** The records of one topic-partition of a send: their indexes, in order, cut into chunks. */
export interface PartitionChunks {
  readonly topic: string;
  readonly partition: number;
  /** `<partition>:<topic>`, the partition's key in the producers' maps. */
  readonly key: string;
  chunks: number[][];
}

/** The key of a topic-partition in the producers' maps. */
export const partitionKey = (topic: string, partition: number): string => `${partition}:${topic}`;

/** Estimated bytes a record adds to a record batch (an upper bound). */
export function recordBytes(record: OutgoingMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + record.key.length + (record.value?.length ?? 0);
  if (record.headers !== undefined) {
    for (const name in record.headers) bytes += 10 + name.length * 3 + (record.headers[name]?.length ?? 0);
  }
  return bytes;
}

/** Groups the records' indexes per topic-partition, in order, in chunks of at most {@link MAX_BATCH_BYTES}. */
export function chunkByPartition(records: readonly OutgoingMessage[]): PartitionChunks[] {
  const slots = new Map<string, PartitionChunks & { bytes: number }>();
  let last: (PartitionChunks & { bytes: number }) | undefined;
  records.forEach((record, index) => {
    // Consecutive records mostly share their partition (a processor's batch): no lookup for those.
    let slot = last !== undefined && last.partition === record.partition && last.topic === record.topic ? last : undefined;
    if (slot === undefined) {
      const key = partitionKey(record.topic, record.partition);
      slot = slots.get(key);
      if (slot === undefined) slots.set(key, (slot = { topic: record.topic, partition: record.partition, key, chunks: [[]], bytes: 0 }));
      last = slot;
    }
    const bytes = recordBytes(record);
    let chunk = slot.chunks[slot.chunks.length - 1] as number[];
    if (chunk.length > 0 && slot.bytes + bytes > MAX_BATCH_BYTES) {
      slot.chunks.push((chunk = []));
      slot.bytes = 0;
    }
    chunk.push(index);
    slot.bytes += bytes;
  });
  return [...slots.values()];
}
