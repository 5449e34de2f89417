import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from './decimal.js';

describe('decimal', () => {
  it('parses without allocation semantics: NaN for syntax, ±Infinity for range', () => {
    expect(parseDecimal(Buffer.from('123'))).toBe(123);
    expect(parseDecimal(Buffer.from('-123'))).toBe(-123);
    expect(parseDecimal(Buffer.from(''))).toBeNaN();
    expect(parseDecimal(Buffer.from('1a'))).toBeNaN();
    expect(parseDecimal(Buffer.from('9007199254740992'))).toBe(Number.POSITIVE_INFINITY);
    expect(parseDecimal(Buffer.from('-9007199254740992'))).toBe(Number.NEGATIVE_INFINITY);
  });

  it('formats like strconv.FormatInt', () => {
    expect(formatDecimal(1234567)).toEqual(Buffer.from('1234567'));
    expect(formatDecimal(-1)).toEqual(Buffer.from([0x2d, 0x31]));
  });
});
