import { MemoryStorage } from '@goka/core/storage';
import type { StorageFactory } from '@goka/core';
import { StorageHandle } from './storage-handle.js';

/**
 * The local storage of one tester instance (a processor or a view), like its data directory: one
 * in-memory store per topic-partition that outlives the handles opened on it. Restarting an
 * instance with the same disk resumes from what it stored; a new disk starts empty and recovers
 * everything from Kafka.
 */
export class LocalDisk {
  readonly #stores = new Map<string, MemoryStorage>();
  readonly #handles = new Set<StorageHandle>();

  /** Opens the store of `(topic, partition)` (created empty on first use). */
  readonly factory: StorageFactory = async (topic, partition) => {
    const slot = `${partition}\u0000${topic}`;
    let store = this.#stores.get(slot);
    if (store === undefined) this.#stores.set(slot, (store = new MemoryStorage({ topic, partition })));
    const handle = new StorageHandle(store, { topic, partition }, (closed) => this.#handles.delete(closed));
    this.#handles.add(handle);
    return handle;
  };

  /** The handles on `(topic, partition)` that are open now. */
  openHandles(topic: string, partition: number): StorageHandle[] {
    return [...this.#handles].filter(
      (handle) => handle.location.topic === topic && handle.location.partition === partition,
    );
  }
}
