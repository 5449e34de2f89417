import { StorageClosedError } from '@goka/core';
import type { Storage } from '@goka/core';
import type { MemoryStorage, StorageIterator, StorageOp, StorageRange } from '@goka/core/storage';

/** Where a handle's store lives, for error messages. */
interface Location {
  readonly topic: string;
  readonly partition: number;
}

/**
 * One opening of a store of a {@link LocalDisk}: it reads and writes the disk's store until it is
 * closed; closing releases the handle only, the data stays on the disk for the next opening (as a
 * RocksDB directory would).
 */
export class StorageHandle implements Storage {
  #closed = false;

  constructor(
    private readonly store: MemoryStorage,
    readonly location: Location,
    private readonly onClose: (handle: StorageHandle) => void,
  ) {}

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.#open('get', () => this.store.get(key));
  }

  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    return this.#open('getMany', () => this.store.getMany(keys));
  }

  has(key: string): Promise<boolean> {
    return this.#open('has', () => this.store.has(key));
  }

  set(key: string, value: Buffer): Promise<void> {
    return this.#open('set', () => this.store.set(key, value));
  }

  delete(key: string): Promise<void> {
    return this.#open('delete', () => this.store.delete(key));
  }

  write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    return this.#open('write', () => this.store.write(ops, offset));
  }

  getOffset(): Promise<number | undefined> {
    return this.#open('getOffset', () => this.store.getOffset());
  }

  setOffset(offset: number): Promise<void> {
    return this.#open('setOffset', () => this.store.setOffset(offset));
  }

  markRecovered(): Promise<void> {
    return this.#open('markRecovered', () => this.store.markRecovered());
  }

  iterator(range?: StorageRange): StorageIterator {
    if (this.#closed) return failing(new StorageClosedError(this.location, 'iterate'));
    return this.store.iterator(range);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose(this);
  }

  #open<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StorageClosedError(this.location, operation));
    return call();
  }
}

/** An iterator whose first step rejects with `error`. */
function failing(error: Error): StorageIterator {
  const iterator: StorageIterator = {
    next: () => Promise.reject(error),
    return: async () => ({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
