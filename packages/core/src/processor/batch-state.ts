import type { Headers, OutgoingMessage } from '../kafka/message.js';
import type { Storage, StorageOp } from '../storage/storage.js';
import type { BatchTracing } from '../tracing/process-span.js';

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
  /** Index in {@link records} of each table record, in write order. */
  readonly tableRecords: number[] = [];
  /** Per record of {@link records}: the offset and key of the input message whose callback wrote it. */
  private readonly originOffsets: number[] = [];
  private readonly originKeys: string[] = [];
  private originOffset = -1;
  private readonly values = new Map<string, Buffer | null>();
  private readonly joins = new Map<string, Map<string, Buffer | undefined>>();
  /** Keys the batch wrote to the table (their final value is in {@link values}). */
  private readonly written = new Set<string>();
  /** The rollback point of the message being processed (one message at a time, so one object). */
  private readonly point: BatchMark = { key: '', records: 0, tableRecords: 0, value: undefined, overlay: undefined, written: false };
  /** The current message's key and its bytes, reused for the records it writes under that key. */
  private keyText: string | undefined;
  private keyBytes: Buffer | undefined;

  constructor(
    private readonly partition: BatchHost,
    readonly seq: number,
    /** Set when tracing is on: emitted and looped-back records get a `create` span, table records the callback's context. */
    private readonly tracing?: BatchTracing,
  ) {}

  /**
   * Loads the table and join values of `keys` (overlay first, then one storage read per table);
   * a key may appear several times.
   */
  async load(keys: readonly string[]): Promise<void> {
    const table = this.partition.tableStorage();
    let unique: string[] | undefined;
    if (table !== undefined) {
      const missing: string[] = [];
      unique = [];
      // Indexed loops and forEach on the per-message paths: for-of allocates an iterator result per element there.
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        if (this.values.has(key)) continue;
        unique.push(key);
        const pending = this.partition.overlay.get(key);
        this.values.set(key, pending === undefined ? null : pending.value);
        if (pending === undefined) missing.push(key);
      }
      if (missing.length > 0) {
        const loaded = await table.getMany(missing);
        missing.forEach((key, index) => this.values.set(key, loaded[index] ?? null));
      }
    }
    for (const [topic, storage] of this.partition.joinStorages()) {
      unique ??= [...new Set(keys)];
      const loaded = await storage.getMany(unique);
      this.joins.set(topic, new Map(unique.map((key, index) => [key, loaded[index]])));
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

  /** Whether the batch wrote to the table. */
  get hasTableWrites(): boolean {
    return this.tableRecords.length > 0;
  }

  /**
   * The storage operations of the batch: the final value of each key it wrote (a key written several
   * times is stored once, with the value of its last table record).
   */
  storageOps(): StorageOp[] {
    const ops: StorageOp[] = [];
    this.written.forEach((key) => {
      const value = this.values.get(key) ?? null;
      ops.push(value === null ? { type: 'del', key } : { type: 'put', key, value });
    });
    return ops;
  }

  /** Writes (or with `null` deletes) `key` in the group table: a table record plus a storage op. */
  setTable(topic: string, partition: number, key: string, value: Buffer | null, headers: Headers | undefined): void {
    this.values.set(key, value);
    this.written.add(key);
    this.tableRecords.push(this.records.length);
    this.push(record(topic, partition, this.bytesOf(key), value, this.tracing === undefined ? headers : this.tracing.table(headers)));
    this.partition.overlay.set(key, { value, seq: this.seq });
  }

  /** Adds an emitted or looped-back record. */
  produce(topic: string, partition: number, key: string, value: Buffer | null, headers: Headers | undefined): void {
    this.push(record(topic, partition, this.bytesOf(key), value, this.traced(topic, partition, key, value, headers)));
  }

  private traced(topic: string, partition: number, key: string, value: Buffer | null, headers: Headers | undefined): Headers | undefined {
    return this.tracing === undefined ? headers : this.tracing.output(topic, partition, key, value === null, headers);
  }

  /** Adds a record with the key bytes as given (a dead-letter record keeps the original bytes). */
  produceBytes(topic: string, partition: number, key: Buffer, value: Buffer | null, headers: Headers): void {
    this.push(record(topic, partition, key, value, headers));
  }

  /**
   * The input message (offset and key) whose callback wrote the first record to `topic`/`partition`
   * with key `key` (UTF-8), to name the message behind a record Kafka refused.
   */
  originOf(topic: string, partition: number, key: string): { readonly offset: number; readonly key: string } | undefined {
    const index = this.records.findIndex((r) => r.topic === topic && r.partition === partition && r.key.toString('utf8') === key);
    return index < 0 ? undefined : { offset: this.originOffsets[index] as number, key: this.originKeys[index] as string };
  }

  private push(outgoing: OutgoingMessage): void {
    this.records.push(outgoing);
    this.originOffsets.push(this.originOffset);
    this.originKeys.push(this.point.key);
  }

  /**
   * Sets the point to roll back to if the message of `key` that comes next fails; `bytes`, when
   * given, are the key's UTF-8 bytes (the input record's key), reused for its records.
   */
  mark(key: string, bytes?: Buffer, offset = -1): void {
    this.originOffset = offset;
    const point = this.point;
    point.key = key;
    point.records = this.records.length;
    point.tableRecords = this.tableRecords.length;
    point.value = this.values.get(key);
    point.overlay = this.partition.overlay.get(key);
    point.written = this.written.has(key);
    this.keyText = bytes === undefined ? undefined : key;
    this.keyBytes = bytes;
  }

  /** Undoes what happened since the last {@link mark}: the failed message's writes are never sent or stored. */
  rollback(): void {
    const point = this.point;
    this.records.length = point.records;
    this.originOffsets.length = point.records;
    this.originKeys.length = point.records;
    this.tableRecords.length = point.tableRecords;
    if (point.value === undefined) this.values.delete(point.key);
    else this.values.set(point.key, point.value);
    if (!point.written) this.written.delete(point.key);
    if (point.overlay === undefined) this.partition.overlay.delete(point.key);
    else this.partition.overlay.set(point.key, point.overlay);
  }

  /** After the batch was acknowledged and stored: drops its overlay entries not overwritten since. */
  release(): void {
    this.releaser()();
  }

  /**
   * {@link release} for later, holding only the keys the batch wrote, not its records or loaded values:
   * an exactly-once batch waits for its transaction's commit, and a transaction may span many batches.
   */
  releaser(): () => void {
    const { written, seq } = this;
    const overlay = this.partition.overlay;
    return () => {
      written.forEach((key) => {
        if (overlay.get(key)?.seq === seq) overlay.delete(key);
      });
    };
  }

  private bytesOf(key: string): Buffer {
    return key === this.keyText && this.keyBytes !== undefined ? this.keyBytes : Buffer.from(key);
  }
}

/** A rollback point: what the batch held for `key` before the current message. */
interface BatchMark {
  key: string;
  records: number;
  tableRecords: number;
  value: Buffer | null | undefined;
  overlay: PendingWrite | undefined;
  /** Whether the batch had written `key` before. */
  written: boolean;
}

function record(
  topic: string,
  partition: number,
  key: Buffer,
  value: Buffer | null,
  headers: Headers | undefined,
): OutgoingMessage {
  return headers === undefined ? { topic, partition, key, value } : { topic, partition, key, value, headers };
}
