import { createRequire } from 'node:module';

/**
 * The native functions of `@nxtedition/rocksdb` (12.2, RocksDB 9.7, Node-API, so one prebuilt
 * binary serves Node 20, 22 and 24) that this package calls: its `binding.js`, below the package's
 * abstract-level class. Called directly so that keys and values cross as they are (no encodings,
 * no per-call option objects), the empty key included.
 *
 * The shapes are declared here because the package ships no types for its binding.
 */

/** Node-style callback. */
export type RocksDbCallback<T = undefined> = (error: Error | null | undefined, result?: T) => void;

/** The native database (an external; opaque to JS). */
export type RocksDbContext = { readonly __brand: 'RocksDbContext' };
/** A native write batch. */
export type RocksDbBatch = { readonly __brand: 'RocksDbBatch' };
/** A native iterator. */
export type RocksDbIteratorContext = { readonly __brand: 'RocksDbIteratorContext' };

/** Options of `db_open` that this package sets (the binding reads them by name). */
export interface RocksDbOpenOptions {
  readonly createIfMissing: boolean;
  readonly errorIfExists?: boolean;
  /** Block cache capacity in bytes (one HyperClockCache for the database; 0 = no block cache). */
  readonly cacheSize: number;
  /** With `compaction: 'level'`: memtables of `memtableMemoryBudget / 4`, flushed two at a time. */
  readonly compaction?: 'level';
  readonly memtableMemoryBudget?: number;
  /** ZSTD for SST files (default true). */
  readonly compression?: boolean;
  readonly blockSize?: number;
  /** Index and filter blocks charged to the block cache (so the budget bounds them too). */
  readonly cacheIndexAndFilterBlocks?: boolean;
  /** Background flush and compaction threads. */
  readonly parallelism?: number;
  /** ZSTD for WAL records (the binding's default: true). */
  readonly walCompression?: boolean;
  /**
   * `point-lookup`: a hash index in each data block, ribbon filters in SST files and a whole-key bloom
   * filter in each memtable (default: binary-search blocks and bloom filters in SST files only).
   */
  readonly optimize?: 'point-lookup';
  readonly infoLogLevel?: string;
}

/** What `iterator_init` reads: a half-open range, keys as UTF-8 strings, values as Buffers. */
export interface RocksDbNativeIteratorOptions {
  readonly gte: string;
  readonly lt: string;
  readonly keyEncoding: 'utf8';
  readonly valueEncoding: 'buffer';
}

/** One `iterator_nextv` answer: `[key, value, key, value, …]`. */
export interface RocksDbRows {
  readonly rows: (string | Buffer)[];
  readonly finished: boolean;
}

/** The part of `@nxtedition/rocksdb/binding.js` used here. */
export interface RocksDbNative {
  /** A database from its location, or (a bigint from `db_get_handle`) one opened elsewhere in the process. */
  db_init(location: string | bigint): RocksDbContext;
  /** The native database's address, for `db_init` on another thread. */
  db_get_handle(context: RocksDbContext): bigint;
  db_open(context: RocksDbContext, options: RocksDbOpenOptions, callback: RocksDbCallback): unknown;
  db_close(context: RocksDbContext, callback: RocksDbCallback): void;
  db_get_many(
    context: RocksDbContext,
    keys: readonly string[],
    options: { readonly valueEncoding: 'buffer'; readonly fillCache: boolean },
    callback: RocksDbCallback<(Buffer | undefined)[]>,
  ): void;
  /** The same on the calling thread: keys as Buffers (this entry point reads no strings); throws the binding's error. */
  db_get_many_sync(
    context: RocksDbContext,
    keys: readonly Buffer[],
    options: { readonly valueEncoding: 'buffer'; readonly fillCache: boolean },
  ): (Buffer | undefined)[];
  db_get_property(context: RocksDbContext, property: string): string | undefined;
  batch_init(): RocksDbBatch;
  batch_put(batch: RocksDbBatch, key: Buffer, value: Buffer, options?: object): void;
  batch_del(batch: RocksDbBatch, key: Buffer, options?: object): void;
  /** Synchronous: the write happens (or throws) before it returns. */
  batch_write(context: RocksDbContext, batch: RocksDbBatch, options: { readonly sync: boolean }): void;
  iterator_init(context: RocksDbContext, options: RocksDbNativeIteratorOptions): RocksDbIteratorContext;
  iterator_nextv(iterator: RocksDbIteratorContext, count: number, callback: RocksDbCallback<RocksDbRows>): void;
  iterator_close(iterator: RocksDbIteratorContext): void;
}

let loaded: RocksDbNative | undefined;

/** Loads the native binding once (CommonJS, through `createRequire`). */
export function loadRocksDb(): RocksDbNative {
  loaded ??= createRequire(import.meta.url)('@nxtedition/rocksdb/binding.js') as RocksDbNative;
  return loaded;
}
