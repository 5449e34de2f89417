/** Messages of the storage checks shared by every store (see `storageLabel` in errors/storage-error.ts). */

import { describeType, quote } from '../util/quote.js';
import { storageLabel } from '../errors/storage-error.js';
import type { StorageLocation } from '../errors/storage-error.js';

/** A put carried something other than a Buffer (Goka: `cannot write nil value`). */
export function storageInvalidValue(loc: StorageLocation, key: string, value: unknown): string {
  return (
    `${storageLabel(loc)}: cannot write a ${describeType(value)} value for key ${quote(key)}; ` +
    'values are Buffers (use delete() for tombstones)'
  );
}

/** A key that is not a string. */
export function storageInvalidKey(loc: StorageLocation, key: unknown): string {
  return `${storageLabel(loc)}: keys are strings, got ${describeType(key)}`;
}

/** A batch operation with an unknown `type`. */
export function storageInvalidOp(loc: StorageLocation, type: unknown): string {
  return `${storageLabel(loc)}: batch operation type must be "put" or "del", got ${quote(String(type))}`;
}

/** `setOffset` / `write` got an offset that is not a non-negative safe integer. */
export function storageInvalidOffset(loc: StorageLocation, offset: unknown): string {
  return `${storageLabel(loc)}: offset must be a non-negative safe integer, got ${String(offset)}`;
}

/** The stored offset is not decimal text. */
export function storageCorruptOffset(loc: StorageLocation, text: string): string {
  return `${storageLabel(loc)}: stored offset ${quote(text)} is not a non-negative decimal integer`;
}

/** A topic name that would escape or break the `<root>/<topic>.<partition>` layout. */
export function storageInvalidTopic(topic: string): string {
  return (
    `topic ${quote(topic)} cannot name a storage directory: ` +
    'use Kafka topic characters only (letters, digits, ".", "_", "-"), not "." or ".."'
  );
}

/** A partition number that is not a non-negative integer. */
export function storageInvalidPartition(topic: string, partition: number): string {
  return `topic ${quote(topic)}: partition must be a non-negative integer, got ${String(partition)}`;
}
