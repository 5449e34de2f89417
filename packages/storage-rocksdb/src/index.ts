/**
 * @goka/storage-rocksdb — RocksDB storage for @goka/core group tables and views.
 */
export { RocksDbStorage } from './rocksdb-storage.js';
export type { RocksDbStorageOpenOptions, RocksDbTuning } from './rocksdb-storage.js';
export { rocksDbStorageFactory, rocksDbStoragePath } from './rocksdb-storage-factory.js';
export type { RocksDbStorageFactoryOptions } from './rocksdb-storage-factory.js';
