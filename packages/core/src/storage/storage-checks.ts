import { formatDecimal, parseDecimal } from '../codec/decimal.js';
import {
  storageCorruptOffset,
  storageInvalidKey,
  storageInvalidOffset,
  storageInvalidOp,
  storageInvalidValue,
} from './storage.messages.js';
import type { StorageLocation } from '../errors/storage-error.js';
import { ReservedKeyError, StorageError } from '../errors/storage-error.js';
import { OFFSET_KEY } from './storage.js';
import type { StorageOp } from './storage.js';

/**
 * Argument checks and offset encoding shared by {@link Storage} implementations, so every store
 * rejects the same inputs with the same errors.
 */

/** Throws a `StorageError` unless `key` is a string. */
export function checkKey(key: unknown, location: StorageLocation): asserts key is string {
  if (typeof key !== 'string') throw new StorageError(storageInvalidKey(location, key), location);
}

/** {@link checkKey}, and throws `ReservedKeyError` for the offset key. */
export function checkWritableKey(key: unknown, location: StorageLocation): asserts key is string {
  checkKey(key, location);
  if (key === OFFSET_KEY) throw new ReservedKeyError(location, key);
}

/** Throws a `StorageError` unless `value` is a Buffer (Goka: `cannot write nil value`). */
export function checkValue(key: string, value: unknown, location: StorageLocation): asserts value is Buffer {
  if (!Buffer.isBuffer(value)) throw new StorageError(storageInvalidValue(location, key, value), location);
}

/** Checks every op of a batch before anything is applied. */
export function checkOps(ops: readonly StorageOp[], location: StorageLocation): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as StorageOp;
    checkWritableKey(op.key, location);
    if (op.type === 'put') checkValue(op.key, op.value, location);
    else if (op.type !== 'del') throw new StorageError(storageInvalidOp(location, (op as { type: unknown }).type), location);
  }
}

/** Throws a `StorageError` unless `offset` is a non-negative safe integer. */
export function checkOffset(offset: unknown, location: StorageLocation): asserts offset is number {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new StorageError(storageInvalidOffset(location, offset), location);
  }
}

/** The stored form of an offset: decimal ASCII (Goka's `__offset` value). */
export function encodeOffset(offset: number): Buffer {
  return formatDecimal(offset);
}

/** Parses a stored offset; throws a `StorageError` if it is not a non-negative decimal integer. */
export function decodeOffset(bytes: Buffer, location: StorageLocation): number {
  const offset = parseDecimal(bytes);
  if (!Number.isFinite(offset) || offset < 0) {
    throw new StorageError(storageCorruptOffset(location, bytes.toString('utf8')), location);
  }
  return offset;
}
