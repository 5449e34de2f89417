import type { Headers, OutgoingMessage } from '../kafka/message.js';
import type { Storage, StorageOp } from '../storage/storage.js';

/** A table write sent but not yet acknowledged and stored. */
export interface PendingWrite {
  readonly value: Buffer | null;
  /** The batch that wrote it. */
  readonly seq: number;
}

/** What a batch needs of its partition: the stores and the overlay of unacknowledged table writes. */
export interface BatchHost {
  readonly overlay: Map<string, PendingWrite>;
  tableStorage(): Storage | undefined;
  joinStorages(): Iterable<[string, Storage]>;
}

/**
 * Everything one batch of one partition reads and writes: the table and join values of its keys
 * (loaded in one storage read each), and the records and table operations its callbacks produce,
 * sent together when the batch ends. Table writes are visible at once to later messages (read your
 * writes) through the partition's overlay of unacknowledged writes.
 */
export class BatchState {
  readonly records: OutgoingMessage[] = [];
  readonly tableOps: StorageOp[] = [];
  /** Index in {@link records} of each table record, parallel to {@link tableOps}. */
  readonly tableRecords: number[] = [];
  private readonly values = new Map<string, Buffer | null>();
  private readonly joins = new Map<string, Map<string, Buffer | undefined>>();
  private readonly written = new Set<string>();

  constructor(
    private readonly partition: BatchHost,
    readonly seq: number,
  ) {}

  /** Loads the table and join values of `keys` (overlay first, then one storage read per table). */
  async load(keys: readonly string[]): Promise<void> {
    const table = this.partition.tableStorage();
    if (table !== undefined) {
      const missing: string[] = [];
      for (const key of keys) {
        const pending = this.partition.overlay.get(key);
        if (pending !== undefined) this.values.set(key, pending.value);
        else missing.push(key);
      }
      if (missing.length > 0) {
        const loaded = await table.getMany(missing);
        missing.forEach((key, index) => this.values.set(key, loaded[index] ?? null));
      }
    }
    for (const [topic, storage] of this.partition.joinStorages()) {
      const loaded = await storage.getMany(keys);
      this.joins.set(topic, new Map(keys.map((key, index) => [key, loaded[index]])));
    }
  }

  /** The table bytes of `key` as of now (including this batch's writes); `null` if absent. */
  tableValue(key: string): Buffer | null {
    return this.values.get(key) ?? null;
  }

  /** The join bytes of `key` in `table`, as loaded when the batch started. */
  joinValue(table: string, key: string): Buffer | undefined {
    return this.joins.get(table)?.get(key);
  }

  /** Writes (or with `null` deletes) `key` in the group table: a table record plus a storage op. */
  setTable(topic: string, partition: number, key: string, value: Buffer | null, headers: Headers | undefined): void {
    this.values.set(key, value);
    this.written.add(key);
    this.tableRecords.push(this.records.length);
    this.records.push(record(topic, partition, key, value, headers));
    this.tableOps.push(value === null ? { type: 'del', key } : { type: 'put', key, value });
    this.partition.overlay.set(key, { value, seq: this.seq });
  }

  /** Adds an emitted or looped-back record. */
  produce(topic: string, partition: number, key: string, value: Buffer | null, headers: Headers | undefined): void {
    this.records.push(record(topic, partition, key, value, headers));
  }

  /** A point to roll back to if the message of `key` that comes next fails. */
  mark(key: string): BatchMark {
    return {
      key,
      records: this.records.length,
      tableOps: this.tableOps.length,
      tableRecords: this.tableRecords.length,
      value: this.values.get(key),
      overlay: this.partition.overlay.get(key),
    };
  }

  /** Undoes what happened since `mark`: the failed message's writes are never sent or stored. */
  rollback(mark: BatchMark): void {
    this.records.length = mark.records;
    this.tableOps.length = mark.tableOps;
    this.tableRecords.length = mark.tableRecords;
    if (mark.value === undefined) this.values.delete(mark.key);
    else this.values.set(mark.key, mark.value);
    if (mark.overlay === undefined) this.partition.overlay.delete(mark.key);
    else this.partition.overlay.set(mark.key, mark.overlay);
  }

  /** After the batch was acknowledged and stored: drops its overlay entries not overwritten since. */
  release(): void {
    for (const key of this.written) {
      if (this.partition.overlay.get(key)?.seq === this.seq) this.partition.overlay.delete(key);
    }
  }
}

export interface BatchMark {
  readonly key: string;
  readonly records: number;
  readonly tableOps: number;
  readonly tableRecords: number;
  readonly value: Buffer | null | undefined;
  readonly overlay: PendingWrite | undefined;
}

function record(
  topic: string,
  partition: number,
  key: string,
  value: Buffer | null,
  headers: Headers | undefined,
): OutgoingMessage {
  return headers === undefined
    ? { topic, partition, key: Buffer.from(key), value }
    : { topic, partition, key: Buffer.from(key), value, headers };
}
