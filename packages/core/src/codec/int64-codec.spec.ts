import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors/codec-error.js';
import { int64Codec } from './int64-codec.js';

const hex = (buffer: Buffer): string => buffer.toString('hex');
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('codecs.int64', () => {
  it('encodes decimal ASCII exactly like Goka', () => {
    expect(hex(int64Codec.encode(42))).toBe('3432');
    expect(hex(int64Codec.encode(-7))).toBe('2d37');
    expect(hex(int64Codec.encode(0))).toBe('30');
    expect(hex(int64Codec.encode(-0))).toBe('30');
    expect(int64Codec.encode(Number.MAX_SAFE_INTEGER).toString('latin1')).toBe('9007199254740991');
    expect(int64Codec.encode(Number.MIN_SAFE_INTEGER).toString('latin1')).toBe('-9007199254740991');
  });

  it('decodes like Go ParseInt: optional sign, digits only', () => {
    expect(int64Codec.decode(Buffer.from([0x34, 0x32]))).toBe(42);
    expect(int64Codec.decode(Buffer.from([0x2d, 0x37]))).toBe(-7);
    expect(int64Codec.decode(ascii('+5'))).toBe(5);
    expect(int64Codec.decode(ascii('007'))).toBe(7);
    expect(Object.is(int64Codec.decode(ascii('-0')), 0)).toBe(true);
    expect(int64Codec.decode(ascii('9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(int64Codec.decode(ascii('-9007199254740991'))).toBe(Number.MIN_SAFE_INTEGER);
  });

  it.each(['', '-', '+', ' 1', '1 ', '1\n', '1.0', '1e3', '0x10', '1_000', '--1', 'abc', '١٢'])(
    'rejects %j on decode',
    (text) => {
      expect(() => int64Codec.decode(Buffer.from(text, 'utf8'))).toThrow(CodecError);
      expect(() => int64Codec.decode(Buffer.from(text, 'utf8'))).toThrow('not a decimal integer');
    },
  );

  it('rejects values outside the safe-integer range instead of rounding', () => {
    for (const text of ['9007199254740992', '-9007199254740992', '9223372036854775807', '99999999999999999999999']) {
      expect(() => int64Codec.decode(ascii(text))).toThrow(/outside the safe integer range .*bigint64/);
    }
    expect(() => int64Codec.encode(2 ** 53)).toThrow('outside the safe integer range');
    expect(() => int64Codec.encode(-(2 ** 60))).toThrow('outside the safe integer range');
  });

  it('a syntax error wins over overflow', () => {
    expect(() => int64Codec.decode(ascii('99999999999999999999x'))).toThrow('not a decimal integer');
  });

  it('rejects non-integers and non-numbers on encode', () => {
    for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => int64Codec.encode(value)).toThrow('is not an integer');
    }
    expect(() => int64Codec.encode('42' as unknown as number)).toThrow(
      'int64 codec cannot encode: value to encode is not of type number but string',
    );
    expect(() => int64Codec.encode(42n as unknown as number)).toThrow(CodecError);
  });

  it('errors carry codec and operation for the caller to wrap', () => {
    try {
      int64Codec.decode(ascii('x'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CodecError);
      const wrapped = CodecError.wrap(error, { operation: 'decode', topic: 'counts', key: 'k1' });
      expect(wrapped.message).toBe(
        'int64 codec cannot decode the value of topic "counts" key "k1": error parsing data from string "x": ' +
          'not a decimal integer (optional sign, digits only)',
      );
    }
  });

  it('round-trips across the safe range', () => {
    for (const value of [1, -1, 10, 123456789, -987654321012, 2 ** 52, -(2 ** 53 - 1)]) {
      expect(int64Codec.decode(int64Codec.encode(value))).toBe(value);
    }
  });
});
