import { partitionFor } from '@goka/core';
import type { MemoryKafka } from '@goka/core';
import type { StorageOp } from '@goka/core/storage';

/** The storage operations of one partition's records and the offset of the last one. */
export interface PartitionWrite {
  readonly ops: StorageOp[];
  offset: number;
}

/**
 * Writes `entries` (key → value bytes, `null` a tombstone) to table topic `table` with Goka's
 * partitioner, and returns per partition the storage operations that mirror them and the offset of
 * the last record (what a store that applied them holds as its table offset).
 */
export function writeTableRecords(
  kafka: MemoryKafka,
  table: string,
  entries: ReadonlyArray<readonly [string, Buffer | null]>,
): Map<number, PartitionWrite> {
  const partitions = kafka.describeTopic(table)?.partitions.length ?? 1;
  const produced = kafka.produce(
    entries.map(([key, value]) => ({ topic: table, partition: partitionFor(key, partitions), key: Buffer.from(key), value })),
  );
  const writes = new Map<number, PartitionWrite>();
  entries.forEach(([key, value], index) => {
    const at = produced[index];
    if (at === undefined) return;
    let write = writes.get(at.partition);
    if (write === undefined) writes.set(at.partition, (write = { ops: [], offset: at.offset }));
    write.ops.push(value === null ? { type: 'del', key } : { type: 'put', key, value });
    write.offset = Math.max(write.offset, at.offset);
  });
  return writes;
}
