/**
 * Every error message of the library is built here, so wording stays consistent and messages can
 * be reviewed in one place. Functions return plain strings; the error classes call them.
 */

/** Longest rendering of a user-supplied string (key, value text) inside a message. */
const MAX_QUOTED = 120;

/** Quotes a user-supplied string for a message: JSON-escaped, cut after {@link MAX_QUOTED} chars. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}

/** A short type description of a runtime value, like Go's `%T` (`string`, `null`, `Date`, `bigint`). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const ctor: unknown = Object.getPrototypeOf(value)?.constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'object';
}

// ---------------------------------------------------------------------------------------------
// codecs

/** Where a codec failure happened, as far as the caller knows. */
export interface CodecFailureContext {
  readonly codec: string;
  readonly operation: 'encode' | 'decode';
  readonly reason: string;
  readonly topic?: string | undefined;
  readonly key?: string | undefined;
}

/** `int64 codec cannot decode the value of topic "t" key "k": <reason>` (topic/key when known). */
export function codecFailed(ctx: CodecFailureContext): string {
  let where = '';
  if (ctx.topic !== undefined) {
    where = ` the value of topic ${quote(ctx.topic)}`;
    if (ctx.key !== undefined) where += ` key ${quote(ctx.key)}`;
  } else if (ctx.key !== undefined) {
    where = ` the value of key ${quote(ctx.key)}`;
  }
  return `${ctx.codec} codec cannot ${ctx.operation}${where}: ${ctx.reason}`;
}

/** Reason: the value handed to `encode` has the wrong runtime type. */
export function codecWrongType(expected: string, value: unknown): string {
  return `value to encode is not of type ${expected} but ${describeType(value)}`;
}

/** Reason: a number that is not an integer (int64 encode). */
export function codecNotAnInteger(value: number): string {
  return `${String(value)} is not an integer`;
}

/** Reason: a number outside the safe-integer range (int64 encode/decode). */
export function codecUnsafeInteger(text: string): string {
  return (
    `${text} is outside the safe integer range ` +
    `[${Number.MIN_SAFE_INTEGER}, ${Number.MAX_SAFE_INTEGER}] (use codecs.bigint64 for full int64)`
  );
}

/** Reason: a bigint outside the signed 64-bit range (bigint64 encode/decode). */
export function codecOutsideInt64(text: string): string {
  return `${text} is outside the int64 range [-9223372036854775808, 9223372036854775807]`;
}

/** Reason: the bytes are not a decimal integer (Go `strconv.ParseInt` syntax). */
export function codecNotDecimal(text: string): string {
  return `error parsing data from string ${quote(text)}: not a decimal integer (optional sign, digits only)`;
}

/** Reason: `JSON.stringify` produced no text (undefined, a function, a symbol). */
export function codecJsonNotSerializable(value: unknown): string {
  return `a value of type ${describeType(value)} has no JSON representation`;
}

/** Reason: `JSON.stringify` / `JSON.parse` threw. */
export function codecJsonFailed(reason: string): string {
  return `invalid JSON: ${reason}`;
}

// ---------------------------------------------------------------------------------------------
// partitioner

/** The partition count passed to the partitioner is not a positive 32-bit integer. */
export function invalidPartitionCount(count: number): string {
  return `partition count must be a positive integer, got ${String(count)}`;
}

// ---------------------------------------------------------------------------------------------
// storage

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

// ---------------------------------------------------------------------------------------------
// kafka

/** `topic "t" was not found (requested topic was not found)`. */
export function topicNotFound(topic: string): string {
  return `topic ${quote(topic)} was not found (requested topic was not found)`;
}

/** `topic "t" has no partition 7`. */
export function partitionNotFound(topic: string, partition: number): string {
  return `topic ${quote(topic)} has no partition ${partition}`;
}

/** `producing to topic "t" partition 3 failed: <reason>`. */
export function produceFailed(topic: string, partition: number, reason: string): string {
  return `producing to topic ${quote(topic)} partition ${partition} failed: ${reason}`;
}
