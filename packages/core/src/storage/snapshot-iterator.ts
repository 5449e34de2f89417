import type { StorageEntry, StorageIterator } from './storage.js';

/**
 * Iterator over entries captured when it was created. `closedError` is checked before each step:
 * once it returns an error (the store was closed) `next()` rejects with it.
 */
export class SnapshotIterator implements StorageIterator {
  readonly #keys: readonly string[];
  readonly #values: readonly Buffer[];
  readonly #closedError: () => Error | undefined;
  #index = 0;
  #done = false;

  constructor(keys: readonly string[], values: readonly Buffer[], closedError: () => Error | undefined) {
    this.#keys = keys;
    this.#values = values;
    this.#closedError = closedError;
  }

  next(): Promise<IteratorResult<StorageEntry, undefined>> {
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    const error = this.#closedError();
    if (error !== undefined) {
      this.#done = true;
      return Promise.reject(error);
    }
    const i = this.#index;
    if (i >= this.#keys.length) {
      this.#done = true;
      return Promise.resolve({ done: true, value: undefined });
    }
    this.#index = i + 1;
    const value = Buffer.from(this.#values[i] as Buffer);
    return Promise.resolve({ done: false, value: [this.#keys[i] as string, value] });
  }

  return(): Promise<IteratorResult<StorageEntry, undefined>> {
    this.#done = true;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): StorageIterator {
    return this;
  }
}
