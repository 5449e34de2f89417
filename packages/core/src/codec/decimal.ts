/**
 * Decimal ASCII integers, the format of Goka's `Int64` codec and of the stored table offset
 * (Go `strconv.FormatInt` / `strconv.ParseInt(s, 10, 64)`).
 */

const PLUS = 0x2b;
const MINUS = 0x2d;
const ZERO = 0x30;

/** Go `ParseInt` syntax: optional sign, one or more ASCII digits, nothing else. */
export const DECIMAL_SYNTAX = /^[+-]?[0-9]+$/;

/** The decimal ASCII bytes of a safe integer (`42` → `34 32`, `-7` → `2d 37`, `-0` → `30`). */
export function formatDecimal(value: number): Buffer {
  return Buffer.from(String(value), 'latin1');
}

/**
 * Parses decimal ASCII bytes without allocating. Returns the number, `NaN` for a syntax error, or
 * `±Infinity` when the text is a valid integer outside the safe-integer range (never rounds).
 */
export function parseDecimal(bytes: Uint8Array): number {
  const length = bytes.length;
  let i = 0;
  let negative = false;
  const first = bytes[0];
  if (first === MINUS) {
    negative = true;
    i = 1;
  } else if (first === PLUS) {
    i = 1;
  }
  if (i >= length) return Number.NaN;
  let value = 0;
  let overflow = false;
  for (; i < length; i++) {
    const digit = (bytes[i] as number) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    if (!overflow) {
      // Exact while the result stays <= 2^53 - 1; once above, float rounding still keeps it above.
      value = value * 10 + digit;
      if (value > Number.MAX_SAFE_INTEGER) overflow = true;
    }
  }
  if (overflow) return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return negative && value !== 0 ? -value : value;
}
