import { StorageError } from '@goka/core';
import type { StorageLocation } from '@goka/core';
import type { StorageEntry, StorageIterator } from '@goka/core/storage';
import type { RocksDbIteratorContext } from './rocksdb-binding.js';
import type { RocksDbDatabase } from './rocksdb-database.js';

type Result = IteratorResult<StorageEntry, undefined>;

const DONE: Result = Object.freeze({ done: true, value: undefined });

/** Entries read from the native iterator per call. */
const CHUNK = 1000;

/** What a {@link RocksDbIterator} needs from its store. */
export interface RocksDbIteratorOwner {
  readonly location: StorageLocation;
  readonly db: RocksDbDatabase;
  /** Length of the partition's key prefix, cut from every key. */
  readonly prefixLength: number;
  /** The partition's full offset key, skipped. */
  readonly offsetKey: string;
  /** The error to reject with once the store is closed, else `undefined`. */
  closedError(): Error | undefined;
  /** Called once the native iterator has ended. */
  released(iterator: RocksDbIterator): void;
}

/**
 * A {@link StorageIterator} over a native RocksDB iterator (which reads from the snapshot taken when
 * it was created), fetched in chunks. Cuts the partition prefix and skips the offset key. `next()`
 * calls are queued, so callers may issue several without awaiting; `release()` waits for a read in
 * flight before it ends the native iterator. The native iterator is ended at the end, on
 * `return()`, on error, and by the store's `close()` (later `next()` calls then reject with
 * `StorageClosedError`).
 */
export class RocksDbIterator implements StorageIterator {
  #handle: RocksDbIteratorContext | undefined;
  readonly #owner: RocksDbIteratorOwner;
  #queue: Promise<unknown> = Promise.resolve();
  #rows: (string | Buffer)[] = [];
  #position = 0;
  #finished = false;
  #done = false;

  /** `handle` is `undefined` for a closed store. */
  constructor(handle: RocksDbIteratorContext | undefined, owner: RocksDbIteratorOwner) {
    this.#handle = handle;
    this.#owner = owner;
  }

  next(): Promise<Result> {
    const step = this.#queue.then(() => this.#step());
    this.#queue = step.catch(() => undefined);
    return step;
  }

  async return(): Promise<Result> {
    this.#done = true;
    await this.release();
    return DONE;
  }

  [Symbol.asyncIterator](): StorageIterator {
    return this;
  }

  /** Ends the native iterator once no read is in flight (idempotent). */
  release(): Promise<void> {
    const released = this.#queue.then(() => this.#end());
    this.#queue = released;
    return released;
  }

  #end(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    this.#rows = [];
    try {
      this.#owner.db.endIterator(handle);
    } finally {
      this.#owner.released(this);
    }
  }

  async #step(): Promise<Result> {
    if (this.#done) return DONE;
    for (;;) {
      // Checked on every round: close() may end the native iterator between two reads.
      const closed = this.#owner.closedError();
      if (closed !== undefined) {
        this.#done = true;
        throw closed;
      }
      if (this.#position < this.#rows.length) {
        const key = this.#rows[this.#position] as string;
        const value = this.#rows[this.#position + 1] as Buffer;
        this.#position += 2;
        if (key !== this.#owner.offsetKey) return { done: false, value: [key.slice(this.#owner.prefixLength), value] };
        continue;
      }
      const handle = this.#handle;
      if (handle === undefined || this.#finished) {
        this.#done = true;
        this.#end();
        return DONE;
      }
      try {
        const { rows, finished } = await this.#owner.db.next(handle, CHUNK);
        this.#rows = rows;
        this.#position = 0;
        this.#finished = finished;
      } catch (error) {
        this.#done = true;
        this.#end();
        throw StorageError.failed(this.#owner.location, 'iterate', error);
      }
    }
  }
}
