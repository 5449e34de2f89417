import { StorageClosedError, StorageError } from '@goka/core';
import {
  checkKey,
  checkOffset,
  checkOps,
  checkValue,
  checkWritableKey,
  decodeOffset,
  encodeOffset,
  OFFSET_KEY,
  storageDirectoryName,
} from '@goka/core/storage';
import type { GokaLogger, Storage, StorageLocation } from '@goka/core';
import type { StorageIterator, StorageOp, StorageRange } from '@goka/core/storage';
import { RocksDbInstance } from './rocksdb-instance.js';
import type { RocksDbMemoryBudget, RocksDbTuning } from './rocksdb-instance.js';
import { RocksDbIterator } from './rocksdb-iterator.js';
import type { RocksDbIteratorOwner } from './rocksdb-iterator.js';
import { removeLegacyStore } from './rocksdb-legacy.js';

/** Options of {@link RocksDbStorage.open}. */
export interface RocksDbStorageOpenOptions {
  /** The storage root: the shared database lives in `<path>/rocksdb` (created with its parents). */
  readonly path: string;
  readonly topic: string;
  readonly partition: number;
  /** fsync every write (default false: writes go to the WAL, surviving a process crash). */
  readonly sync?: boolean;
  /** Memory of the root's database, shared by all its partitions (the first open of a root sets it). */
  readonly memory?: RocksDbMemoryBudget;
  readonly rocksdb?: RocksDbTuning;
  /** Where the removal of a store left by the old `rocksdb` binding is reported (default: stderr, warn). */
  readonly logger?: GokaLogger;
}

/** Memory of an instance's RocksDB database, bytes ({@link RocksDbStorage.memoryUsage}). */
export interface RocksDbMemoryUsage {
  readonly blockCacheCapacity: number;
  readonly blockCacheUsage: number;
  /** Active and unflushed memtables. */
  readonly memtables: number;
}

/** The first byte after every key of a prefix `<topic>.<partition>/` ('/' + 1). */
const PREFIX_END = '0';

/**
 * {@link Storage} of one topic-partition on RocksDB (`@nxtedition/rocksdb`). All partitions under
 * one root share one database (one block cache, one memtable budget, one WAL); a partition's keys
 * are stored under the prefix `<topic>.<partition>/`, each with the raw record value bytes, and the
 * last applied table offset under `<topic>.<partition>/__offset` as decimal ASCII text (Goka's
 * content, one prefix per Goka store).
 *
 * - `write` is one RocksDB write batch, the offset included, applied on the database's writer thread;
 *   writes (`set`, `delete`, `write`, `setOffset`) apply in call order.
 * - `getMany` is one native multi-get on one snapshot; iterators read from the snapshot of their
 *   creation, in byte order, and skip `__offset`.
 * - The user key `__offset` is refused (`ReservedKeyError`) instead of silently overwriting the
 *   offset as Goka would; reading it finds nothing.
 * - Opening a partition that is open already, or a root another process holds, fails with
 *   `StorageLockedError`.
 */
export class RocksDbStorage implements Storage {
  /** The database directory (shared with the root's other partitions). */
  readonly location: string;
  readonly #instance: RocksDbInstance;
  readonly #prefix: string;
  /** {@link #prefix} as UTF-8, put before every key a write batch stores. */
  readonly #prefixBytes: Buffer;
  readonly #offsetKey: string;
  readonly #where: StorageLocation;
  readonly #iterators = new Set<RocksDbIterator>();
  readonly #iteratorOwner: RocksDbIteratorOwner;
  #offset: number | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(instance: RocksDbInstance, prefix: string, where: StorageLocation) {
    this.#instance = instance;
    this.#prefix = prefix;
    this.#prefixBytes = Buffer.from(prefix, 'utf8');
    this.#offsetKey = prefix + OFFSET_KEY;
    this.#where = where;
    this.location = instance.location;
    this.#iteratorOwner = {
      location: where,
      db: instance.db,
      prefixLength: prefix.length,
      offsetKey: this.#offsetKey,
      closedError: () => (this.#closed ? new StorageClosedError(this.#where, 'iterate') : undefined),
      released: (iterator) => {
        this.#iterators.delete(iterator);
      },
    };
  }

  /**
   * Opens the store of `topic`/`partition` under `path` and reads its stored offset. A store that
   * the old `rocksdb` binding left at `<path>/<topic>.<partition>` is removed (logged): the
   * partition is then rebuilt from its table topic.
   *
   * @throws StorageLockedError when the partition is open already or another process holds the root.
   * @throws StorageError for other failures (including a stored offset that is not decimal text).
   */
  static async open(options: RocksDbStorageOpenOptions): Promise<RocksDbStorage> {
    const { path, topic, partition } = options;
    const prefix = `${storageDirectoryName(topic, partition)}/`;
    const settings = { root: path, sync: options.sync ?? false, memory: options.memory, tuning: options.rocksdb };
    const instance = await RocksDbInstance.claim(settings, prefix, { topic, partition, path });
    const where = { topic, partition, path: `${instance.location} (${prefix})` };
    const store = new RocksDbStorage(instance, prefix, where);
    try {
      await removeLegacyStore(path, topic, partition, options.logger);
      const [stored] = await store.#read('open', () => instance.db.getMany([store.#offsetKey]));
      store.#offset = stored === undefined ? undefined : decodeOffset(stored, where);
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  async get(key: string): Promise<Buffer | undefined> {
    this.#open('get');
    checkKey(key, this.#where);
    if (key === OFFSET_KEY) return undefined;
    const [value] = await this.#read('get', () => this.#instance.db.getMany([this.#prefix + key]));
    return value;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    this.#open('getMany');
    if (keys.length === 0) return [];
    const prefix = this.#prefix;
    const full: string[] = [];
    let reserved = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      checkKey(key, this.#where);
      if (key === OFFSET_KEY) reserved = true;
      full.push(prefix + key);
    }
    const values = await this.#read('getMany', () => this.#instance.db.getMany(full));
    if (reserved) keys.forEach((key, i) => key === OFFSET_KEY && (values[i] = undefined));
    return values;
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async set(key: string, value: Buffer): Promise<void> {
    this.#open('set');
    checkWritableKey(key, this.#where);
    checkValue(key, value, this.#where);
    await this.#write('set', (batch) => batch.put(key, value, this.#prefixBytes));
  }

  async delete(key: string): Promise<void> {
    this.#open('delete');
    checkWritableKey(key, this.#where);
    await this.#write('delete', (batch) => batch.del(key, this.#prefixBytes));
  }

  async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    this.#open('write');
    checkOps(ops, this.#where);
    if (offset !== undefined) checkOffset(offset, this.#where);
    else if (ops.length === 0) return;
    const prefix = this.#prefixBytes;
    await this.#write('write', (batch) => {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i] as StorageOp;
        if (op.type === 'put') batch.put(op.key, op.value, prefix);
        else batch.del(op.key, prefix);
      }
      if (offset !== undefined) batch.put(this.#offsetKey, encodeOffset(offset));
    });
    if (offset !== undefined) this.#offset = offset;
  }

  async getOffset(): Promise<number | undefined> {
    this.#open('getOffset');
    return this.#offset;
  }

  async setOffset(offset: number): Promise<void> {
    this.#open('setOffset');
    checkOffset(offset, this.#where);
    await this.#write('setOffset', (batch) => batch.put(this.#offsetKey, encodeOffset(offset)));
    this.#offset = offset;
  }

  /**
   * What the root's database (shared by every partition of the instance) holds in memory now, in
   * bytes: block cache capacity and usage, and memtables.
   */
  memoryUsage(): RocksDbMemoryUsage {
    this.#open('memoryUsage');
    const db = this.#instance.db;
    return {
      blockCacheCapacity: db.property('rocksdb.block-cache-capacity') ?? 0,
      blockCacheUsage: db.property('rocksdb.block-cache-usage') ?? 0,
      memtables: db.property('rocksdb.cur-size-all-mem-tables') ?? 0,
    };
  }

  /** Nothing to flush: every offset is written with its batch (Goka's LevelDB store flushes here). */
  async markRecovered(): Promise<void> {
    this.#open('markRecovered');
  }

  iterator(range: StorageRange = {}): StorageIterator {
    if (this.#closed) return new RocksDbIterator(undefined, this.#iteratorOwner);
    const prefix = this.#prefix;
    const gte = prefix + (range.gte ?? '');
    const lt = range.lt === undefined ? prefix.slice(0, -1) + PREFIX_END : prefix + range.lt;
    const iterator = new RocksDbIterator(this.#instance.db.iterator(gte, lt), this.#iteratorOwner);
    this.#iterators.add(iterator);
    return iterator;
  }

  /** Ends open iterators and releases the partition (the root's last one closes the database). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#iterators].map((iterator) => iterator.release()));
    try {
      await this.#instance.release(this.#prefix);
    } catch (error) {
      throw StorageError.failed(this.#where, 'close', error);
    }
  }

  #open(operation: string): void {
    if (this.#closed) throw new StorageClosedError(this.#where, operation);
  }

  /** Runs a read, turning binding errors into `StorageError`s naming the store. */
  async #read<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw StorageError.failed(this.#where, operation, error);
    }
  }

  /** Applies one write batch (after earlier ones), turning binding errors into `StorageError`s naming the store. */
  async #write(operation: string, fill: Parameters<RocksDbInstance['db']['write']>[0]): Promise<void> {
    try {
      await this.#instance.db.write(fill);
    } catch (error) {
      throw StorageError.failed(this.#where, operation, error);
    }
  }
}
