import type { StorageIterator } from '../storage/storage.js';
import { compareUtf8 } from '../storage/utf8-order.js';

/** A key and its value, as yielded by a view's iterator. */
export type ViewEntry<V> = [key: string, value: V];

/** The current entry of one source. */
interface Head {
  readonly key: string;
  readonly value: Buffer;
  readonly source: number;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** Key order in UTF-8 bytes; equal keys (a key in two partitions) come in source order. */
function before(a: Head, b: Head): boolean {
  const order = compareUtf8(a.key, b.key);
  return order < 0 || (order === 0 && a.source < b.source);
}

/**
 * Merges storage iterators (one per partition, each in key order) into one stream in UTF-8 byte
 * order of the keys (Goka's `NewMultiIterator`, a heap merge), mapping each value with `map`.
 * Sources are advanced lazily, one entry ahead each. An error of a source or of `map` closes all
 * sources and rejects that `next()`; later calls end. `return()` (e.g. `break`) closes all sources.
 * Calls to `next()` must not overlap (as in `for await`).
 */
export class MergeIterator<T> implements AsyncIterableIterator<ViewEntry<T>, undefined, undefined> {
  readonly #sources: readonly StorageIterator[];
  readonly #map: (key: string, value: Buffer) => T;
  readonly #heap: Head[] = [];
  #started = false;
  #done = false;
  /** The source whose entry was yielded last: it is advanced before the next entry is chosen. */
  #advance: number | undefined;

  constructor(sources: readonly StorageIterator[], map: (key: string, value: Buffer) => T) {
    this.#sources = sources;
    this.#map = map;
  }

  async next(): Promise<IteratorResult<ViewEntry<T>, undefined>> {
    if (this.#done) return DONE;
    try {
      if (!this.#started) {
        this.#started = true;
        await Promise.all(this.#sources.map((_, index) => this.#pull(index)));
      } else if (this.#advance !== undefined) {
        const source = this.#advance;
        this.#advance = undefined;
        await this.#pull(source);
      }
      const head = this.#pop();
      if (head === undefined) {
        this.#done = true;
        return DONE;
      }
      this.#advance = head.source;
      return { done: false, value: [head.key, this.#map(head.key, head.value)] };
    } catch (error) {
      await this.return();
      throw error;
    }
  }

  async return(): Promise<IteratorResult<ViewEntry<T>, undefined>> {
    if (!this.#done) {
      this.#done = true;
      this.#heap.length = 0;
      await Promise.allSettled(this.#sources.map((source) => source.return?.()));
    }
    return DONE;
  }

  [Symbol.asyncIterator](): MergeIterator<T> {
    return this;
  }

  async #pull(source: number): Promise<void> {
    const result = await (this.#sources[source] as StorageIterator).next();
    if (result.done !== true) {
      const [key, value] = result.value;
      this.#push({ key, value, source });
    }
  }

  #push(head: Head): void {
    const heap = this.#heap;
    let index = heap.length;
    heap.push(head);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as Head;
      if (!before(head, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = head;
  }

  #pop(): Head | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Head, heap[left] as Head) ? right : left;
      if (!before(heap[child] as Head, last)) break;
      heap[index] = heap[child] as Head;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
