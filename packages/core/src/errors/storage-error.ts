import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** Identifies one local store in messages. */
export interface StorageLocation {
  readonly topic?: string | undefined;
  readonly partition?: number | undefined;
  readonly path?: string | undefined;
}

/** `storage of topic "t" partition 3 (at /data/t.3)`, leaving out what is unknown. */
export function storageLabel(loc: StorageLocation): string {
  let label = 'storage';
  if (loc.topic !== undefined) label += ` of topic ${quote(loc.topic)}`;
  if (loc.partition !== undefined) label += ` partition ${loc.partition}`;
  if (loc.path !== undefined) label += ` at ${loc.path}`;
  return label;
}

/** A storage operation failed in the underlying engine. */
export function storageFailed(loc: StorageLocation, operation: string, reason: string): string {
  return `${storageLabel(loc)}: ${operation} failed: ${reason}`;
}

/** The store's directory is locked by another process (or another open handle in this one). */
export function storageLocked(loc: StorageLocation): string {
  return (
    `${storageLabel(loc)} is locked by another process or another open handle ` +
    `(RocksDB LOCK file${loc.path !== undefined ? ` ${loc.path}/LOCK` : ''}); ` +
    'stop the other instance or give each instance its own storage path'
  );
}

/** An operation was attempted after `close()`. */
export function storageClosed(loc: StorageLocation, operation: string): string {
  return `${storageLabel(loc)} is closed: cannot ${operation}`;
}

/** A user key equals the reserved key that holds the table offset. */
export function storageReservedKey(loc: StorageLocation, key: string): string {
  return (
    `${storageLabel(loc)}: the key ${quote(key)} is reserved for the table offset ` +
    '(Goka stores the applied offset under it) and cannot be written or deleted'
  );
}

/** A local store failed; names the topic, partition and (for on-disk stores) path. */
export class StorageError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_STORAGE';

  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly path: string | undefined;

  constructor(message: string, location: StorageLocation = {}, options: GokaErrorOptions = {}) {
    super(new.target.code, message, options);
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
  static override readonly code: GokaErrorCode = 'GOKA_STORAGE_LOCKED';

  constructor(location: StorageLocation, options: Omit<GokaErrorOptions, 'retriable'> = {}) {
    super(storageLocked(location), location, { ...options, retriable: true });
  }
}

/** An operation was attempted on a closed store. */
export class StorageClosedError extends StorageError {
  static override readonly code: GokaErrorCode = 'GOKA_STORAGE_CLOSED';

  constructor(location: StorageLocation, operation: string) {
    super(storageClosed(location, operation), location);
  }
}

/**
 * A user key equals the reserved offset key `__offset`. Goka silently lets such a key overwrite the
 * stored table offset; we refuse it instead.
 */
export class ReservedKeyError extends StorageError {
  static override readonly code: GokaErrorCode = 'GOKA_STORAGE_RESERVED_KEY';

  readonly key: string;

  constructor(location: StorageLocation, key: string) {
    super(storageReservedKey(location, key), location);
    this.key = key;
  }
}
