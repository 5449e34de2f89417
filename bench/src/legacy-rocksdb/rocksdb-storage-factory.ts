/**
 * The storage of `@goka/storage-rocksdb` 0.1 on the discontinued npm `rocksdb` binding (one database
 * per topic-partition), kept only so that `pnpm bench` can compare it with the package's current
 * storage on Node 20 in one run. It aborts on Node 22 and 24; the bench loads it only on Node 20.
 */
import { join } from 'node:path';
import { storageDirectoryName } from '@goka/core/storage';
import type { StorageFactory } from '@goka/core';
import { RocksDbStorage } from './rocksdb-storage.js';
import type { RocksDbTuning } from './rocksdb-storage.js';

/** Options of {@link rocksDbStorageFactory}. */
export interface RocksDbStorageFactoryOptions {
  /** Root folder; each topic-partition gets `<path>/<topic>.<partition>` (Goka's layout). */
  readonly path: string;
  /** fsync every write (default false). */
  readonly sync?: boolean;
  /** RocksDB tuning for every store. */
  readonly rocksdb?: RocksDbTuning;
}

/** The database directory of one topic-partition: `<root>/<topic>.<partition>`. */
export function rocksDbStoragePath(root: string, topic: string, partition: number): string {
  return join(root, storageDirectoryName(topic, partition));
}

/**
 * A {@link StorageFactory} opening one {@link RocksDbStorage} per topic-partition under
 * `options.path` (Goka's `storage.DefaultBuilder(path)`). Stores keep their content across
 * restarts, so a partition resumes recovery from its stored offset.
 *
 * @example
 * new Processor(graph, { brokers, storage: rocksDbStorageFactory({ path: '/var/lib/app/processor/clicks' }) });
 */
export function rocksDbStorageFactory(options: RocksDbStorageFactoryOptions): StorageFactory {
  const { path, sync, rocksdb } = options;
  return async (topic, partition) =>
    RocksDbStorage.open({
      location: rocksDbStoragePath(path, topic, partition),
      topic,
      partition,
      ...(sync !== undefined ? { sync } : {}),
      ...(rocksdb !== undefined ? { rocksdb } : {}),
    });
}
