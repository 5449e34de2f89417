import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { storageClosed, storageFailed, storageLocked, storageReservedKey } from './messages.js';
import type { StorageLocation } from './messages.js';

export type { StorageLocation } from './messages.js';

/** A local store failed; names the topic, partition and (for on-disk stores) path. */
export class StorageError extends GokaError {
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly path: string | undefined;

  constructor(message: string, location: StorageLocation = {}, options: GokaErrorOptions = {}) {
    super(message, options);
    this.topic = location.topic;
    this.partition = location.partition;
    this.path = location.path;
  }

  /**
   * The error of a failed `operation` of an underlying engine (`open`, `get`, `write`, ...): names
   * the store and the operation, keeps `cause`, and takes the cause's message as the reason.
   */
  static failed(location: StorageLocation, operation: string, cause: unknown): StorageError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new StorageError(storageFailed(location, operation, reason), location, { cause });
  }
}

/**
 * The store is held by another process or another open handle (RocksDB `LOCK`). Retriable: during
 * a rebalance the previous owner may release it shortly.
 */
export class StorageLockedError extends StorageError {
  constructor(location: StorageLocation, options: Omit<GokaErrorOptions, 'retriable'> = {}) {
    super(storageLocked(location), location, { ...options, retriable: true });
  }
}

/** An operation was attempted on a closed store. */
export class StorageClosedError extends StorageError {
  constructor(location: StorageLocation, operation: string) {
    super(storageClosed(location, operation), location);
  }
}

/**
 * A user key equals the reserved offset key `__offset`. Goka silently lets such a key overwrite the
 * stored table offset; we refuse it instead.
 */
export class ReservedKeyError extends StorageError {
  readonly key: string;

  constructor(location: StorageLocation, key: string) {
    super(storageReservedKey(location, key), location);
    this.key = key;
  }
}
