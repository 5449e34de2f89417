import type { KafkaMessage, PartitionOffsets } from '../message.js';

/**
 * One partition of an in-memory topic: an append-only log with Kafka's offset rules. Records keep their
 * offsets when older ones are compacted or deleted away, so `oldest` can move past 0 and offsets can have gaps.
 */
export class MemoryPartitionLog {
  private records: KafkaMessage[] = [];
  private nextOffset = 0;
  private oldestOffset = 0;
  private waiters: Array<() => void> = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  offsets(): PartitionOffsets {
    return { oldest: this.oldestOffset, hwm: this.nextOffset };
  }

  /** Appends a record and returns it with its topic, partition and offset. */
  append(record: Omit<KafkaMessage, 'offset' | 'topic' | 'partition'>): KafkaMessage {
    const stored = { ...record, topic: this.topic, partition: this.partition, offset: this.nextOffset++ };
    this.records.push(stored);
    this.wake();
    return stored;
  }

  /** Up to `max` records with offsets ≥ `from` (a `from` below the oldest offset reads from the oldest). */
  read(from: number, max: number): KafkaMessage[] {
    const start = this.indexOf(Math.max(from, this.oldestOffset));
    return this.records.slice(start, start + max);
  }

  /** Resolves once the log holds a record at or past `offset`, or when `signal` aborts. */
  waitFor(offset: number, signal?: AbortSignal): Promise<void> {
    if (offset < this.nextOffset || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        this.waiters = this.waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Log compaction: keeps only the newest record of each key. Tombstones are kept (as Kafka does until
   * `delete.retention.ms` passes) unless `dropTombstones` is set. Offsets do not change.
   */
  compact(options: { dropTombstones?: boolean } = {}): void {
    const newest = new Map<string, number>();
    this.records.forEach((record, index) => {
      if (record.key !== null) newest.set(record.key.toString('latin1'), index);
    });
    // Records without a key cannot be compacted (Kafka rejects them on compacted topics); keep them.
    this.records = this.records.filter(
      (record, index) =>
        record.key === null ||
        (newest.get(record.key.toString('latin1')) === index &&
          !(options.dropTombstones === true && record.value === null)),
    );
    this.oldestOffset = this.records[0]?.offset ?? this.nextOffset;
  }

  /** Retention: removes every record below `offset` (Kafka's delete-records). */
  deleteBefore(offset: number): void {
    const bound = Math.min(offset, this.nextOffset);
    this.records = this.records.slice(this.indexOf(bound));
    this.oldestOffset = Math.max(this.oldestOffset, bound);
  }

  private indexOf(offset: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.records[middle] as KafkaMessage).offset < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
