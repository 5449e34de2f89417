import { codecNotAnInteger, codecNotDecimal, codecUnsafeInteger, codecWrongType } from './codec.messages.js';
import type { Codec } from './codec.js';
import { codecFailure } from './codec-failure.js';
import { formatDecimal, parseDecimal } from './decimal.js';

/**
 * Goka's `Int64` codec on JS numbers: decimal ASCII text, `-` for negatives, no padding, no `+`
 * (`42` → `34 32`, `-7` → `2d 37`). Decoding follows Go `ParseInt` (optional sign, digits only, no
 * whitespace). Values outside `Number.MIN_SAFE_INTEGER..MAX_SAFE_INTEGER` are errors in both
 * directions, never rounded; use {@link bigint64Codec} for the full int64 range.
 */
export const int64Codec: Codec<number> = Object.freeze({
  name: 'int64',
  encode(value: number): Buffer {
    if (typeof value !== 'number') throw codecFailure('int64', 'encode', codecWrongType('number', value));
    if (!Number.isSafeInteger(value)) {
      const reason = Number.isInteger(value) ? codecUnsafeInteger(String(value)) : codecNotAnInteger(value);
      throw codecFailure('int64', 'encode', reason);
    }
    return formatDecimal(value);
  },
  decode(bytes: Buffer): number {
    const value = parseDecimal(bytes);
    if (Number.isFinite(value)) return value;
    const text = bytes.toString('utf8');
    const reason = Number.isNaN(value) ? codecNotDecimal(text) : codecUnsafeInteger(text);
    throw codecFailure('int64', 'decode', reason);
  },
});
