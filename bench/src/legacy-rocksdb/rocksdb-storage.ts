import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
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
} from '@goka/core/storage';
import type { Storage, StorageLocation } from '@goka/core';
import type { StorageIterator, StorageOp, StorageRange } from '@goka/core/storage';
import type { RocksDbBatchOp, RocksDbOpenOptions } from './rocksdb-binding.js';
import { RocksDbDatabase } from './rocksdb-database.js';
import { openError } from './rocksdb-errors.js';
import { RocksDbIterator } from './rocksdb-iterator.js';
import type { RocksDbIteratorOwner } from './rocksdb-iterator.js';

/** RocksDB tuning passed to `open` (defaults of the `rocksdb` package apply when left out). */
export interface RocksDbTuning {
  /** Block cache size in bytes (default 8 MiB). */
  readonly cacheSize?: number;
  /** Memtable size in bytes (default 4 MiB). */
  readonly writeBufferSize?: number;
  /** Data block size in bytes (default 4096). */
  readonly blockSize?: number;
  /** Open file limit (default 1000). */
  readonly maxOpenFiles?: number;
  /** Target SST file size in bytes (default 2 MiB). */
  readonly maxFileSize?: number;
  /** Snappy compression (default true). */
  readonly compression?: boolean;
  /** RocksDB's own log level: `debug`, `info`, `warn`, `error`, `fatal`, `header`. */
  readonly infoLogLevel?: 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'header';
}

/** Options of {@link RocksDbStorage.open}. */
export interface RocksDbStorageOpenOptions {
  /** Database directory (created with its parents if missing). */
  readonly location: string;
  /** Topic and partition, to name the store in errors. */
  readonly topic?: string;
  readonly partition?: number;
  /** fsync every write (default false: writes go to the WAL, surviving a process crash). */
  readonly sync?: boolean;
  readonly rocksdb?: RocksDbTuning;
}

/**
 * {@link Storage} on RocksDB (npm `rocksdb`), with Goka's on-disk content: one database per
 * topic-partition, the raw record value bytes under the UTF-8 bytes of each key, and the last
 * applied table offset under the key `__offset` as decimal ASCII text. A Go Goka (LevelDB) cache
 * has the same logical content.
 *
 * - `write` is one RocksDB write batch, the offset included; writes (`set`, `delete`, `write`,
 *   `setOffset`) are applied in call order.
 * - `getMany` is one native multi-get on one snapshot; iterators read from the snapshot of their
 *   creation and skip `__offset`.
 * - The user key `__offset` is refused (`ReservedKeyError`) instead of silently overwriting the
 *   offset as Goka would; reading it finds nothing.
 * - Opening a database another process (or handle) holds fails with `StorageLockedError`.
 */
export class RocksDbStorage implements Storage {
  /** The database directory. */
  readonly location: string;
  readonly #db: RocksDbDatabase;
  readonly #where: StorageLocation;
  readonly #iterators = new Set<RocksDbIterator>();
  readonly #iteratorOwner: RocksDbIteratorOwner;
  #offset: number | undefined;
  #writes: Promise<unknown> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(db: RocksDbDatabase, where: StorageLocation & { path: string }) {
    this.#db = db;
    this.#where = where;
    this.location = where.path;
    this.#iteratorOwner = {
      location: where,
      closedError: () => (this.#closed ? new StorageClosedError(this.#where, 'iterate') : undefined),
      released: (iterator) => {
        this.#iterators.delete(iterator);
      },
    };
  }

  /**
   * Opens (creating if missing) the database at `options.location` and reads its stored offset.
   *
   * @throws StorageLockedError when another process or handle holds the database.
   * @throws StorageError for other failures (including a stored offset that is not decimal text).
   */
  static async open(options: RocksDbStorageOpenOptions): Promise<RocksDbStorage> {
    const where = { topic: options.topic, partition: options.partition, path: options.location };
    let db: RocksDbDatabase;
    try {
      await mkdir(dirname(options.location), { recursive: true });
      const openOptions: RocksDbOpenOptions = { ...options.rocksdb, createIfMissing: true, errorIfExists: false };
      db = await RocksDbDatabase.open(options.location, openOptions, options.sync ?? false);
    } catch (error) {
      throw openError(error, where);
    }
    const store = new RocksDbStorage(db, where);
    try {
      const stored = await store.#read('open', () => db.get(OFFSET_KEY));
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
    return key === OFFSET_KEY ? undefined : this.#read('get', () => this.#db.get(key));
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    this.#open('getMany');
    let special = false;
    for (const key of keys) {
      checkKey(key, this.#where);
      if (key === '' || key === OFFSET_KEY) special = true;
    }
    if (keys.length === 0) return [];
    if (!special) return this.#read('getMany', () => this.#db.getMany(keys));
    // The native multi-get skips empty keys, and the offset key is not a user key.
    const regular = keys.filter((key) => key !== '' && key !== OFFSET_KEY);
    const [values, empty] = await Promise.all([
      regular.length > 0 ? this.#read('getMany', () => this.#db.getMany(regular)) : [],
      keys.includes('') ? this.#read('getMany', () => this.#db.get('')) : undefined,
    ]);
    let next = 0;
    return keys.map((key) => (key === '' ? empty : key === OFFSET_KEY ? undefined : values[next++]));
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async set(key: string, value: Buffer): Promise<void> {
    this.#open('set');
    checkWritableKey(key, this.#where);
    checkValue(key, value, this.#where);
    await this.#write('set', () => this.#db.put(key, value));
  }

  async delete(key: string): Promise<void> {
    this.#open('delete');
    checkWritableKey(key, this.#where);
    await this.#write('delete', () => this.#db.del(key));
  }

  async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    this.#open('write');
    checkOps(ops, this.#where);
    if (offset === undefined) {
      if (ops.length > 0) await this.#write('write', () => this.#db.batch(ops));
      return;
    }
    checkOffset(offset, this.#where);
    const batch: RocksDbBatchOp[] = [...ops, { type: 'put', key: OFFSET_KEY, value: encodeOffset(offset) }];
    await this.#write('write', () => this.#db.batch(batch), offset);
  }

  async getOffset(): Promise<number | undefined> {
    this.#open('getOffset');
    return this.#offset;
  }

  async setOffset(offset: number): Promise<void> {
    this.#open('setOffset');
    checkOffset(offset, this.#where);
    const value = encodeOffset(offset);
    await this.#write('setOffset', () => this.#db.put(OFFSET_KEY, value), offset);
  }

  /** Nothing to flush: every offset is written with its batch (Goka's LevelDB store flushes here). */
  async markRecovered(): Promise<void> {
    this.#open('markRecovered');
  }

  iterator(range: StorageRange = {}): StorageIterator {
    // `lt: ''` is an empty range; the native binding would read an empty bound as "no bound".
    if (this.#closed || range.lt === '') return new RocksDbIterator(undefined, this.#iteratorOwner);
    const iterator = new RocksDbIterator(this.#db.iterator(range), this.#iteratorOwner);
    this.#iterators.add(iterator);
    return iterator;
  }

  /** Ends open iterators, waits for queued writes, then closes the database. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#iterators].map((iterator) => iterator.release()));
    await this.#writes;
    try {
      await this.#db.close();
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

  /** Queues a write after earlier ones, so writes apply in call order; updates the cached offset. */
  #write(operation: string, run: () => Promise<unknown>, offset?: number): Promise<void> {
    const result = this.#writes.then(async () => {
      try {
        await run();
      } catch (error) {
        throw StorageError.failed(this.#where, operation, error);
      }
      if (offset !== undefined) this.#offset = offset;
    });
    this.#writes = result.catch(() => undefined);
    return result;
  }
}
