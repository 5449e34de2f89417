import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors/codec-error.js';
import { bytesCodec } from './bytes-codec.js';

describe('codecs.bytes', () => {
  it('passes bytes through unchanged (same Buffer)', () => {
    const bytes = Buffer.from([0, 1, 0xff]);
    expect(bytesCodec.encode(bytes)).toBe(bytes);
    expect(bytesCodec.decode(bytes)).toBe(bytes);
    expect(bytesCodec.encode(Buffer.alloc(0)).length).toBe(0);
  });

  it('views a Uint8Array as a Buffer without copying', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    const view = backing.subarray(1, 4);
    const encoded = bytesCodec.encode(view as Buffer);
    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect([...encoded]).toEqual([1, 2, 3]);
    backing[2] = 7;
    expect(encoded[1]).toBe(7);
  });

  it('rejects anything else', () => {
    expect(() => bytesCodec.encode('abc' as unknown as Buffer)).toThrow(CodecError);
    expect(() => bytesCodec.encode([1, 2] as unknown as Buffer)).toThrow('not of type Buffer but Array');
  });
});
