/** Reasons the built-in codecs give inside a `CodecError` (see `codecFailed` in errors/codec-error.ts). */

import { describeType, quote } from '../util/quote.js';

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
