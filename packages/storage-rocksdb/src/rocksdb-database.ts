import { callback } from './callback.js';
import { loadRocksDb } from './rocksdb-binding.js';
import type { RocksDbContext, RocksDbIteratorContext, RocksDbOpenOptions, RocksDbRows } from './rocksdb-binding.js';
import { WriteBatchEncoder } from './rocksdb-write-encoding.js';
import { RocksDbWriter } from './rocksdb-writer.js';

const GET_OPTIONS = Object.freeze({ valueEncoding: 'buffer', fillCache: true } as const);
/**
 * Multi-gets of up to this many keys run on the calling thread: a few point reads (memtable or block
 * cache, microseconds) cost less than handing them to the libuv pool and waking the event loop for the
 * answer, which at a low message rate (a batch of one or two messages per fetch) was most of a batch's
 * time on a busy machine.
 */
const SYNC_GET_KEYS = 4;

/** Adds operations to one write batch (full keys, as stored: the prefix bytes, then the key's UTF-8). */
export interface RocksDbBatchWriter {
  /** Puts `value` under `prefix` (bytes, default none) + `key`. */
  put(key: string, value: Buffer, prefix?: Uint8Array): void;
  /** Deletes `prefix` (bytes, default none) + `key`. */
  del(key: string, prefix?: Uint8Array): void;
}

/**
 * Promise API over one native RocksDB database with string keys and Buffer values. Callers check
 * their arguments and never call it after `close()` (the native code does not guard use after
 * close).
 */
export class RocksDbDatabase {
  readonly #context: RocksDbContext;
  readonly #writer: RocksDbWriter;
  /** Native reads in flight (a libuv pool thread uses the database): `close()` waits for them. */
  #reads = 0;
  #idle: (() => void) | undefined;

  private constructor(context: RocksDbContext, writer: RocksDbWriter) {
    this.#context = context;
    this.#writer = writer;
  }

  /** Opens (creating if missing) the database at `location`; rejects with the binding's error. */
  static async open(location: string, options: RocksDbOpenOptions, sync: boolean): Promise<RocksDbDatabase> {
    const native = loadRocksDb();
    const context = native.db_init(location);
    await callback((done) => native.db_open(context, options, done));
    return new RocksDbDatabase(context, new RocksDbWriter(native.db_get_handle(context), sync));
  }

  /** Values of many keys from one snapshot (one native multi-get); `undefined` where absent. */
  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const native = loadRocksDb();
    if (keys.length <= SYNC_GET_KEYS) return native.db_get_many_sync(this.#context, keys.map((key) => Buffer.from(key, 'utf8')), GET_OPTIONS);
    const values = await this.#reading(callback<(Buffer | undefined)[]>((done) => native.db_get_many(this.#context, keys, GET_OPTIONS, done)));
    return values ?? [];
  }

  /**
   * Builds one atomic write batch with `fill` and applies it on the database's writer thread, after
   * the batches written before it (with `sync` it also waits for the fsync). Rejects with the
   * binding's error.
   */
  write(fill: (batch: RocksDbBatchWriter) => void): Promise<void> {
    const batch = new WriteBatchEncoder();
    fill(batch);
    return this.#writer.write(batch);
  }

  /** A native iterator over `[gte, lt)`, reading from a snapshot taken now. */
  iterator(gte: string, lt: string): RocksDbIteratorContext {
    return loadRocksDb().iterator_init(this.#context, { gte, lt, keyEncoding: 'utf8', valueEncoding: 'buffer' });
  }

  /** The next up to `count` entries of an iterator of this database. */
  async next(iterator: RocksDbIteratorContext, count: number): Promise<RocksDbRows> {
    const native = loadRocksDb();
    const rows = await this.#reading(callback<RocksDbRows>((done) => native.iterator_nextv(iterator, count, done)));
    return rows ?? { rows: [], finished: true };
  }

  /** Ends an iterator of this database (never while its `next` is in flight). */
  endIterator(iterator: RocksDbIteratorContext): void {
    loadRocksDb().iterator_close(iterator);
  }

  /** A numeric RocksDB property such as `rocksdb.cur-size-all-mem-tables`, `undefined` if unknown. */
  property(name: string): number | undefined {
    const value = loadRocksDb().db_get_property(this.#context, name);
    return value === undefined || value === '' ? undefined : Number(value);
  }

  /** Closes the database once the writes and reads in flight have settled. */
  async close(): Promise<void> {
    await this.#writer.close();
    if (this.#reads > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    const native = loadRocksDb();
    await callback((done) => native.db_close(this.#context, done));
  }

  async #reading<T>(read: Promise<T>): Promise<T> {
    this.#reads += 1;
    try {
      return await read;
    } finally {
      this.#reads -= 1;
      if (this.#reads === 0 && this.#idle !== undefined) {
        this.#idle();
        this.#idle = undefined;
      }
    }
  }
}
