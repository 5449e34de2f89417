import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors/codec-error.js';
import { stringCodec } from './string-codec.js';

describe('codecs.string', () => {
  it('encodes UTF-8 bytes', () => {
    expect(stringCodec.encode('hi')).toEqual(Buffer.from([0x68, 0x69]));
    expect(stringCodec.encode('é€😀')).toEqual(Buffer.from([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]));
  });

  it('encodes "" as an empty, non-null value', () => {
    const bytes = stringCodec.encode('');
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.length).toBe(0);
    expect(stringCodec.decode(Buffer.alloc(0))).toBe('');
  });

  it('decodes without failing, invalid UTF-8 becoming U+FFFD', () => {
    expect(stringCodec.decode(Buffer.from([0xc3, 0xa9]))).toBe('é');
    expect(stringCodec.decode(Buffer.from([0xff]))).toBe('\uFFFD');
  });

  it('rejects non-strings like Goka', () => {
    expect(() => stringCodec.encode(5 as unknown as string)).toThrow(CodecError);
    expect(() => stringCodec.encode(null as unknown as string)).toThrow(
      'string codec cannot encode: value to encode is not of type string but null',
    );
  });
});
