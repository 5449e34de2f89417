import type { StorageFactory } from '@goka/core';

/**
 * The component a storage factory is asked for: a processor (its group table, joins and lookups)
 * or a registered view (one table).
 *
 * @publicApi
 */
export type GokaStorageScope =
  | { readonly kind: 'processor'; readonly group: string }
  | { readonly kind: 'view'; readonly table: string };

/**
 * The RocksDB memory of one processor or view, whatever its partition count (`@goka/storage-rocksdb`'s
 * `RocksDbMemoryBudget`).
 *
 * @publicApi
 */
export interface GokaStorageMemoryOptions {
  /** Block cache in bytes. @default 33554432 (32 MiB) */
  readonly blockCacheBytes?: number;
  /** Memtables in bytes. @default 33554432 (32 MiB) */
  readonly writeBufferBytes?: number;
}

/**
 * RocksDB stores under one root folder (needs the optional package `@goka/storage-rocksdb`):
 * each processor keeps its tables in one database under `<path>/processors/<group>`, each view under
 * `<path>/views/<table>`, so a processor and a view of the same table in one app never share one.
 *
 * @publicApi
 */
export interface GokaStoragePathOptions {
  /** Root folder of every local store of the app. */
  readonly path: string;
  /** fsync every write. @default false */
  readonly sync?: boolean;
  /** RocksDB memory of each processor and each view (each has its own budget). */
  readonly memory?: GokaStorageMemoryOptions;
}

/**
 * A storage factory per component, for stores other than RocksDB or other folder layouts.
 *
 * @publicApi
 */
export interface GokaStorageFactoryOptions {
  /** Returns the factory of one component's stores. Called once per processor and per view. */
  readonly factory: (scope: GokaStorageScope) => StorageFactory;
}

/**
 * Where processors and views keep their local state: one `StorageFactory` shared by every component
 * (fine for memory stores; two components opening the same on-disk store would collide), a root
 * folder for RocksDB, or a factory per component.
 *
 * @publicApi
 */
export type GokaStorageOptions = StorageFactory | GokaStoragePathOptions | GokaStorageFactoryOptions;
