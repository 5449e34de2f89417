import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors/codec-error.js';
import { bigint64Codec } from './bigint64-codec.js';
import { int64Codec } from './int64-codec.js';

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('codecs.bigint64', () => {
  it('writes the same bytes as int64', () => {
    expect(bigint64Codec.encode(42n)).toEqual(Buffer.from([0x34, 0x32]));
    expect(bigint64Codec.encode(-7n)).toEqual(Buffer.from([0x2d, 0x37]));
    expect(bigint64Codec.encode(123n)).toEqual(int64Codec.encode(123));
  });

  it('covers the full int64 range', () => {
    expect(bigint64Codec.encode(2n ** 63n - 1n).toString('latin1')).toBe('9223372036854775807');
    expect(bigint64Codec.encode(-(2n ** 63n)).toString('latin1')).toBe('-9223372036854775808');
    expect(bigint64Codec.decode(ascii('9223372036854775807'))).toBe(2n ** 63n - 1n);
    expect(bigint64Codec.decode(ascii('-9223372036854775808'))).toBe(-(2n ** 63n));
    expect(bigint64Codec.decode(ascii('+12'))).toBe(12n);
    expect(bigint64Codec.decode(ascii('-0'))).toBe(0n);
  });

  it('rejects values outside int64 (Go ParseInt overflow)', () => {
    expect(() => bigint64Codec.decode(ascii('9223372036854775808'))).toThrow('outside the int64 range');
    expect(() => bigint64Codec.decode(ascii('-9223372036854775809'))).toThrow('outside the int64 range');
    expect(() => bigint64Codec.encode(2n ** 63n)).toThrow('outside the int64 range');
  });

  it.each(['', ' 1', '1 ', '0x1f', '1n', '1.0', '+-1', 'é'])('rejects %j on decode', (text) => {
    expect(() => bigint64Codec.decode(Buffer.from(text, 'utf8'))).toThrow(CodecError);
  });

  it('rejects non-bigints on encode', () => {
    expect(() => bigint64Codec.encode(5 as unknown as bigint)).toThrow(
      'bigint64 codec cannot encode: value to encode is not of type bigint but number',
    );
  });
});
