import { codecNotDecimal, codecOutsideInt64, codecWrongType } from './codec.messages.js';
import type { Codec } from './codec.js';
import { codecFailure } from './codec-failure.js';
import { DECIMAL_SYNTAX } from './decimal.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Goka's `Int64` codec on `bigint`: the same decimal ASCII bytes as {@link int64Codec}, over the
 * full signed 64-bit range (values outside it are errors, like Go's `ParseInt` overflow).
 */
export const bigint64Codec: Codec<bigint> = Object.freeze({
  name: 'bigint64',
  encode(value: bigint): Buffer {
    if (typeof value !== 'bigint') throw codecFailure('bigint64', 'encode', codecWrongType('bigint', value));
    if (value < INT64_MIN || value > INT64_MAX) {
      throw codecFailure('bigint64', 'encode', codecOutsideInt64(value.toString()));
    }
    return Buffer.from(value.toString(), 'latin1');
  },
  decode(bytes: Buffer): bigint {
    // latin1 maps every byte to one char, so non-ASCII bytes fail the syntax check.
    const text = bytes.toString('latin1');
    if (!DECIMAL_SYNTAX.test(text)) throw codecFailure('bigint64', 'decode', codecNotDecimal(bytes.toString('utf8')));
    const value = BigInt(text);
    if (value < INT64_MIN || value > INT64_MAX) throw codecFailure('bigint64', 'decode', codecOutsideInt64(text));
    return value;
  },
});
