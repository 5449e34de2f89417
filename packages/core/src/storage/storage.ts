/**
 * The key under which on-disk stores keep the last applied table offset, as decimal ASCII text
 * (Goka's LevelDB layout). It is reserved: writing or deleting it as a user key fails with
 * `ReservedKeyError`, reading it as a user key finds nothing, and iterators never yield it.
 */
export const OFFSET_KEY = '__offset';

/** One operation of an atomic {@link Storage.write} batch. */
export type StorageOp =
  | { readonly type: 'put'; readonly key: string; readonly value: Buffer }
  | { readonly type: 'del'; readonly key: string };

/** Half-open key range `[gte, lt)` in UTF-8 byte order; a missing bound is open. */
export interface StorageRange {
  /** Lowest key included. */
  readonly gte?: string | undefined;
  /** First key excluded. `lt: ''` is an empty range (no key sorts below the empty key). */
  readonly lt?: string | undefined;
}

/** A key and its raw value, as yielded by {@link Storage.iterator}. */
export type StorageEntry = [key: string, value: Buffer];

/** Async iterator over {@link StorageEntry} items; `return()` (e.g. `break` in `for await`) releases it. */
export type StorageIterator = AsyncIterableIterator<StorageEntry, undefined, undefined>;

/**
 * The local store of one topic-partition of a table (Goka's `storage.Storage`): raw record value
 * bytes per key plus the last applied table offset.
 *
 * - Keys are strings, stored as their UTF-8 bytes (lone surrogates become U+FFFD, as in
 *   `Buffer.from`); the empty string is a valid key.
 * - Values are Buffers holding the record value bytes. `null` is never stored (a tombstone is a
 *   `delete`); an empty Buffer is a value.
 * - Returned Buffers belong to the caller; Buffers passed in may be reused by the caller afterwards.
 * - Many concurrent readers and one writer are allowed. All methods reject with
 *   `StorageClosedError` after {@link Storage.close}.
 */
export interface Storage {
  /** The value of `key`, or `undefined` if absent. */
  get(key: string): Promise<Buffer | undefined>;
  /** The values of many keys in one storage read (one consistent snapshot), in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  /** Whether `key` has a value. */
  has(key: string): Promise<boolean>;
  /** Stores `value` under `key`. */
  set(key: string, value: Buffer): Promise<void>;
  /** Removes `key` (no error if absent). */
  delete(key: string): Promise<void>;
  /**
   * Applies `ops` as one atomic batch, in order (a later op on the same key wins). When `offset` is
   * given it is stored in the same batch, so values and offset never diverge: this is how recovery
   * and processors apply a batch of table records. An invalid op rejects the whole batch.
   */
  write(ops: readonly StorageOp[], offset?: number): Promise<void>;
  /** The last applied table offset (not +1), or `undefined` if none was stored. */
  getOffset(): Promise<number | undefined>;
  /** Stores the last applied table offset (a non-negative safe integer). */
  setOffset(offset: number): Promise<void>;
  /** Called once the partition has caught up with the table topic (after recovery). */
  markRecovered(): Promise<void>;
  /**
   * Entries in byte order of the UTF-8 keys within `range`, from a snapshot taken when the iterator
   * is created (later writes are not seen). Never yields the offset.
   */
  iterator(range?: StorageRange): StorageIterator;
  /** Ends open iterators and releases the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the store of one topic-partition (Goka's `storage.Builder`). Stores are returned opened;
 * the caller closes them.
 */
export type StorageFactory = (topic: string, partition: number) => Promise<Storage>;
