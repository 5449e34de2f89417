import { StorageError } from '@goka/core';
import { OFFSET_KEY } from '@goka/core/storage';
import type { StorageLocation } from '@goka/core';
import type { StorageEntry, StorageIterator } from '@goka/core/storage';
import { callback } from './callback.js';
import type { RocksDbIteratorHandle } from './rocksdb-binding.js';

type Result = IteratorResult<StorageEntry, undefined>;

const DONE: Result = Object.freeze({ done: true, value: undefined });

/** What a {@link RocksDbIterator} needs from its store. */
export interface RocksDbIteratorOwner {
  readonly location: StorageLocation;
  /** The error to reject with once the store is closed, else `undefined`. */
  closedError(): Error | undefined;
  /** Called once the native iterator has ended. */
  released(iterator: RocksDbIterator): void;
}

/**
 * A {@link StorageIterator} over a native RocksDB iterator (which reads from the snapshot taken when
 * it was created, in batches). Skips the offset key. `next()` calls are queued, so callers may
 * issue several without awaiting. The native iterator is ended at the end, on `return()`, on error,
 * and by the store's `close()` (later `next()` calls then reject with `StorageClosedError`).
 */
export class RocksDbIterator implements StorageIterator {
  #handle: RocksDbIteratorHandle | undefined;
  readonly #owner: RocksDbIteratorOwner;
  #queue: Promise<unknown> = Promise.resolve();
  #done = false;

  /** `handle` is `undefined` for an empty range. */
  constructor(handle: RocksDbIteratorHandle | undefined, owner: RocksDbIteratorOwner) {
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

  /** Ends the native iterator (idempotent). */
  async release(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    try {
      await callback((done) => handle.end(done));
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
      const handle = this.#handle;
      if (handle === undefined) {
        this.#done = true;
        return DONE;
      }
      let entry: StorageEntry | undefined;
      try {
        entry = await nextEntry(handle);
      } catch (error) {
        this.#done = true;
        await this.release().catch(() => undefined);
        throw StorageError.failed(this.#owner.location, 'iterate', error);
      }
      if (entry === undefined) {
        this.#done = true;
        await this.release();
        return DONE;
      }
      if (entry[0] !== OFFSET_KEY) return { done: false, value: entry };
    }
  }
}

function nextEntry(handle: RocksDbIteratorHandle): Promise<StorageEntry | undefined> {
  return new Promise((resolve, reject) => {
    handle.next((error, key, value) => {
      if (error) reject(error);
      else if (key === undefined || value === undefined) resolve(undefined);
      else resolve([key, value]);
    });
  });
}
