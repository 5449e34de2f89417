import { createRequire } from 'node:module';

/**
 * The parts of the npm `rocksdb` package (5.2.1, abstract-leveldown 7 API) this package uses.
 * `@types/rocksdb` (3.x) describes an older API and not the underscore methods, so the shape is
 * declared here.
 *
 * The underscore methods (`_get`, `_getMany`, `_put`, `_del`, `_batch`) skip abstract-leveldown's
 * argument checks, which reject the empty key — a valid Kafka/Goka key. Only `RocksDbDatabase`
 * calls them, after its own checks and only while the database is open.
 */

/** Node-style callback. */
export type RocksDbCallback<T = undefined> = (error: Error | null | undefined, result?: T) => void;

/** Options of `db.open` (subset). */
export interface RocksDbOpenOptions {
  readonly createIfMissing?: boolean;
  readonly errorIfExists?: boolean;
  readonly compression?: boolean;
  readonly cacheSize?: number;
  readonly writeBufferSize?: number;
  readonly blockSize?: number;
  readonly maxOpenFiles?: number;
  readonly maxFileSize?: number;
  readonly infoLogLevel?: string;
}

/** One element of `db._batch`. */
export type RocksDbBatchOp =
  | { readonly type: 'put'; readonly key: string; readonly value: Buffer }
  | { readonly type: 'del'; readonly key: string };

/** Options of `db.iterator` as used here: string keys, Buffer values, half-open range. */
export interface RocksDbIteratorOptions {
  readonly gte?: string;
  readonly lt?: string;
  readonly keyAsBuffer: false;
  readonly valueAsBuffer: true;
}

/** A native iterator (abstract-leveldown `AbstractIterator`). */
export interface RocksDbIteratorHandle {
  /** Calls back with `(null)` and no key/value at the end. */
  next(callback: (error: Error | null | undefined, key?: string, value?: Buffer) => void): void;
  end(callback: RocksDbCallback): void;
}

/** A `rocksdb(location)` instance. */
export interface RocksDbHandle {
  readonly status: string;
  /** The native database handle (set by `open`). */
  readonly context?: unknown;
  open(options: RocksDbOpenOptions, callback: RocksDbCallback): void;
  close(callback: RocksDbCallback): void;
  iterator(options: RocksDbIteratorOptions): RocksDbIteratorHandle;
  _get(key: string, options: { readonly asBuffer: true; readonly fillCache: boolean }, callback: RocksDbCallback<Buffer>): void;
  _getMany?(
    keys: readonly string[],
    options: { readonly asBuffer: true; readonly fillCache: boolean },
    callback: RocksDbCallback<(Buffer | undefined)[]>,
  ): void;
  _put(key: string, value: Buffer, options: { readonly sync: boolean }, callback: RocksDbCallback): void;
  _del(key: string, options: { readonly sync: boolean }, callback: RocksDbCallback): void;
  _batch(ops: readonly RocksDbBatchOp[], options: { readonly sync: boolean }, callback: RocksDbCallback): void;
}

/**
 * The native functions of a chained write batch (`rocksdb/binding.js`, what the package's
 * `ChainedBatch` calls): one native call per operation with its key and value, instead of `_batch`
 * reading `type`, `key` and `value` of every array element through N-API property lookups.
 */
export interface RocksDbNativeBatch {
  batch_init(context: unknown): unknown;
  batch_put(batch: unknown, key: string, value: Buffer): void;
  batch_del(batch: unknown, key: string): void;
  batch_write(batch: unknown, options: { readonly sync: boolean }, callback: RocksDbCallback): void;
}

let nativeBatch: RocksDbNativeBatch | undefined;

/** Loads the native binding of `rocksdb` once (the module the package itself loads). */
export function loadRocksDbNativeBatch(): RocksDbNativeBatch {
  nativeBatch ??= createRequire(import.meta.url)('rocksdb/binding.js') as RocksDbNativeBatch;
  return nativeBatch;
}

/** The `rocksdb` module export: `rocksdb(location)`. */
export type RocksDbConstructor = (location: string) => RocksDbHandle;

let loaded: RocksDbConstructor | undefined;

/** Loads the native `rocksdb` module once (CommonJS, through `createRequire`). */
export function loadRocksDb(): RocksDbConstructor {
  loaded ??= createRequire(import.meta.url)('rocksdb') as RocksDbConstructor;
  return loaded;
}
