import { StorageError, StorageLockedError } from '@goka/core';
import type { StorageLocation } from '@goka/core';

/** RocksDB's messages for a held `LOCK` file (another process, or another handle in this one). */
const LOCKED = /While lock file|lock hold by current process|\/LOCK: (?:Resource temporarily unavailable|No locks available)/;

/** The typed error of a failed open: `StorageLockedError` for a held LOCK, else `StorageError`. */
export function openError(error: unknown, location: StorageLocation): StorageError {
  const message = error instanceof Error ? error.message : String(error);
  if (LOCKED.test(message)) return new StorageLockedError(location, { cause: error });
  return StorageError.failed(location, 'open', error);
}
