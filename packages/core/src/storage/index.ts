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
