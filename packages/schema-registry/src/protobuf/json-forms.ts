/**
 * Whether `converted` (the value after protobufjs' `fromObject` then `toObject`) still says what
 * `original` said, field by field: int64 as a decimal string and enums by name are the JSON forms of a
 * message, which `verify` refuses but `fromObject` reads; anything `fromObject` had to coerce (a string
 * for an int32) reads back differently and is refused.
 */
export function sameAfterConversion(original: unknown, converted: unknown): boolean {
  if (original === null || original === undefined) return true;
  if (original instanceof Uint8Array) {
    const bytes = typeof converted === 'string' ? Buffer.from(converted, 'base64') : converted;
    return bytes instanceof Uint8Array && Buffer.from(original).equals(Buffer.from(bytes));
  }
  if (Array.isArray(original)) {
    return Array.isArray(converted) && original.length === converted.length && original.every((item, i) => sameAfterConversion(item, converted[i]));
  }
  if (typeof original === 'object') {
    if (typeof converted !== 'object' || converted === null) return false;
    const target = converted as Record<string, unknown>;
    return Object.entries(original).every(([key, item]) => sameAfterConversion(item, target[key]));
  }
  return String(original) === String(converted);
}
