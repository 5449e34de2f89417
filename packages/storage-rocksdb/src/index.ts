/**
 * @goka/storage-rocksdb — RocksDB storage for @goka/core group tables and views.
 */
export { RocksDbStorage } from './rocksdb-storage.js';
export type { RocksDbMemoryUsage, RocksDbStorageOpenOptions } from './rocksdb-storage.js';
export { rocksDbStorageFactory } from './rocksdb-storage-factory.js';
export type { RocksDbStorageFactoryOptions } from './rocksdb-storage-factory.js';
export { DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES, rocksDbDatabasePath } from './rocksdb-instance.js';
export type { RocksDbMemoryBudget, RocksDbTuning } from './rocksdb-instance.js';
