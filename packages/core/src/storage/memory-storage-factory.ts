import { MemoryStorage } from './memory-storage.js';
import type { StorageFactory } from './storage.js';

/**
 * A {@link StorageFactory} of {@link MemoryStorage}s (Goka's `storage.MemoryBuilder`): every call
 * returns a new, empty store, so a partition re-recovers from Kafka after each rebalance.
 */
export function memoryStorageFactory(): StorageFactory {
  return async (topic, partition) => new MemoryStorage({ topic, partition });
}
