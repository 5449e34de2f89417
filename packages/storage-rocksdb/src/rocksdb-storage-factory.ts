import type { GokaLogger, StorageFactory } from '@goka/core';
import { openOptions } from './rocksdb-instance.js';
import type { RocksDbMemoryBudget, RocksDbTuning } from './rocksdb-instance.js';
import { RocksDbStorage } from './rocksdb-storage.js';

/** Options of {@link rocksDbStorageFactory}. */
export interface RocksDbStorageFactoryOptions {
  /**
   * Root folder of one processor or view instance: its database is `<path>/rocksdb`, shared by every
   * topic-partition the instance stores. One process per root (another gets `StorageLockedError`).
   */
  readonly path: string;
  /** fsync every write (default false: a process crash loses nothing, a machine crash may). */
  readonly sync?: boolean;
  /** Memory of the instance's RocksDB, whatever its partition count (defaults: 32 MiB cache, 32 MiB memtables). */
  readonly memory?: RocksDbMemoryBudget;
  /** RocksDB tuning of the instance's database. */
  readonly rocksdb?: RocksDbTuning;
  /** Logs the removal of stores the old `rocksdb` binding left (default: stderr, warn). */
  readonly logger?: GokaLogger;
}

/**
 * A {@link StorageFactory} keeping every topic-partition of one instance in one RocksDB database
 * under `options.path`, within one memory budget. Stores keep their content across restarts, so a
 * partition resumes recovery from its stored offset.
 *
 * @example
 * new Processor(graph, {
 *   brokers,
 *   storage: rocksDbStorageFactory({ path: '/var/lib/app/processors/clicks', memory: { blockCacheBytes: 64 << 20 } }),
 * });
 */
export function rocksDbStorageFactory(options: RocksDbStorageFactoryOptions): StorageFactory {
  const { path, sync, memory, rocksdb, logger } = options;
  openOptions(memory, rocksdb); // a budget out of range fails here, not at the first partition
  return async (topic, partition) =>
    RocksDbStorage.open({
      path,
      topic,
      partition,
      ...(sync !== undefined ? { sync } : {}),
      ...(memory !== undefined ? { memory } : {}),
      ...(rocksdb !== undefined ? { rocksdb } : {}),
      ...(logger !== undefined ? { logger } : {}),
    });
}
