import type { KafkaMessage, PartitionOffsets } from '../message.js';
import type { IsolationLevel } from '../transaction.js';

/** A transaction as the logs it wrote to see it: open until it commits or aborts. */
export interface LogTransaction {
  state: 'open' | 'committed' | 'aborted';
}

/** A waiter: resolves once its condition holds (checked after every append and transaction end). */
interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

/**
 * One partition of an in-memory topic: an append-only log with Kafka's offset rules. Records keep their
 * offsets when older ones are compacted or deleted away, so `oldest` can move past 0 and offsets can have gaps.
 */
export class MemoryPartitionLog {
  private records: KafkaMessage[] = [];
  private nextOffset = 0;
  private oldestOffset = 0;
  private waiters: Waiter[] = [];
  /** The transaction of each record written inside one (by record object). */
  private readonly transactionOf = new WeakMap<KafkaMessage, LogTransaction>();
  /** Control records (transaction markers): they take an offset, readers never see them. */
  private readonly markers = new WeakSet<KafkaMessage>();
  private markerCount = 0;
  /** Open transactions with records here → the offset of their first record here. */
  private readonly open = new Map<LogTransaction, number>();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /**
   * The oldest offset and the end a reader of `isolation` reaches: the high-water mark, or for
   * `read_committed` the last stable offset (the first offset of the oldest open transaction).
   */
  offsets(isolation: IsolationLevel = 'read_uncommitted'): PartitionOffsets {
    return { oldest: this.oldestOffset, hwm: this.end(isolation) };
  }

  /** Appends a record (inside `transaction` when given) and returns it with its topic, partition and offset. */
  append(record: Omit<KafkaMessage, 'offset' | 'topic' | 'partition'>, transaction?: LogTransaction): KafkaMessage {
    const stored = { ...record, topic: this.topic, partition: this.partition, offset: this.nextOffset++ };
    this.records.push(stored);
    if (transaction !== undefined) {
      this.transactionOf.set(stored, transaction);
      if (!this.open.has(transaction)) this.open.set(transaction, stored.offset);
    }
    this.wake();
    return stored;
  }

  /**
   * Ends `transaction` here (its state was set by the caller): writes its control record, as Kafka
   * does, and moves the last stable offset on. Nothing happens when it wrote nothing here.
   */
  endTransaction(transaction: LogTransaction): void {
    if (!this.open.delete(transaction)) return;
    const marker: KafkaMessage = { topic: this.topic, partition: this.partition, offset: this.nextOffset++, key: null, value: null, headers: {}, timestamp: Date.now() };
    this.records.push(marker);
    this.markers.add(marker);
    this.markerCount += 1;
    this.wake();
  }

  /** Whether `record` (a record of this log) belongs to a transaction that was aborted. */
  isAborted(record: KafkaMessage): boolean {
    return this.transactionOf.get(record)?.state === 'aborted';
  }

  /**
   * Up to `max` records with offsets ≥ `from` (a `from` below the oldest offset reads from the
   * oldest). Control records are never returned; with `read_committed`, neither are records of
   * aborted transactions nor anything at or past the last stable offset.
   */
  read(from: number, max: number, isolation: IsolationLevel = 'read_uncommitted'): KafkaMessage[] {
    const start = this.indexOf(Math.max(from, this.oldestOffset));
    if (this.markerCount === 0 && this.open.size === 0) return this.records.slice(start, start + max);
    const end = this.end(isolation);
    const result: KafkaMessage[] = [];
    for (let index = start; index < this.records.length && result.length < max; index++) {
      const record = this.records[index] as KafkaMessage;
      if (record.offset >= end) break;
      if (this.markers.has(record)) continue;
      if (isolation === 'read_committed' && this.transactionOf.get(record)?.state === 'aborted') continue;
      result.push(record);
    }
    return result;
  }

  /**
   * Resolves once a reader of `isolation` can read at or past `offset` (a record, or a control record
   * it steps over), or when `signal` aborts.
   */
  waitFor(offset: number, signal?: AbortSignal, isolation: IsolationLevel = 'read_uncommitted'): Promise<void> {
    const ready = (): boolean => offset < this.end(isolation);
    if (ready() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        ready: () => ready() || signal?.aborted === true,
        resolve: () => {
          signal?.removeEventListener('abort', done);
          resolve();
        },
      };
      const done = (): void => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        waiter.resolve();
      };
      this.waiters.push(waiter);
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

  private end(isolation: IsolationLevel): number {
    if (isolation === 'read_uncommitted' || this.open.size === 0) return this.nextOffset;
    let stable = this.nextOffset;
    for (const first of this.open.values()) stable = Math.min(stable, first);
    return stable;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => waiter.ready());
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }
}
