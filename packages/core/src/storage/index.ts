/**
 * @goka/core/storage — the storage of group tables and views, for storage authors: the `Storage`
 * contract, the checks every storage applies to its arguments, the offset record's encoding, the
 * in-memory storage, and the conformance suite a storage runs in its own tests
 * (`runStorageConformance('MyStorage', { describe, it }, { open })`). An application only picks a
 * `StorageFactory` (from `@goka/core` or a storage package).
 */
export { OFFSET_KEY } from './storage.js';
export type {
  Storage,
  StorageEntry,
  StorageFactory,
  StorageIterator,
  StorageOp,
  StorageRange,
} from './storage.js';
export { MemoryStorage } from './memory-storage.js';
export type { MemoryStorageOptions } from './memory-storage.js';
export { memoryStorageFactory } from './memory-storage-factory.js';
export {
  checkKey,
  checkOffset,
  checkOps,
  checkValue,
  checkWritableKey,
  decodeOffset,
  encodeOffset,
} from './storage-checks.js';
export { compareUtf8, normalizeKey } from './utf8-order.js';
export { storageDirectoryName } from './storage-path.js';
export { runStorageConformance } from './storage-conformance.js';
export type { ConformanceTestApi, StorageConformanceOptions } from './storage-conformance.js';

// the errors a storage throws
export { ReservedKeyError, StorageClosedError, StorageError, StorageLockedError } from '../errors/index.js';
export type { StorageLocation } from '../errors/index.js';
