import { describe, expect, it } from 'vitest';
import { CodecError } from '@goka/core';
import { decodeMessageIndexes, encodeMessageIndexes } from './message-indexes.js';

describe('message indexes (Confluent Protobuf wire format)', () => {
  it('writes [0], the first top-level message, as the single byte 0', () => {
    expect([...encodeMessageIndexes([0])]).toEqual([0]);
    expect(decodeMessageIndexes(Buffer.from([0, 0x0a]), 0)).toEqual({ indexes: [0], offset: 1 });
  });

  it('writes a zigzag-varint count then zigzag-varint indexes', () => {
    expect([...encodeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...encodeMessageIndexes([0, 0])]).toEqual([4, 0, 0]);
    expect([...encodeMessageIndexes([2, 1, 3])]).toEqual([6, 4, 2, 6]);
    // 100 zigzags to 200: two varint bytes
    expect([...encodeMessageIndexes([100])]).toEqual([2, 0xc8, 0x01]);
  });

  it('reads back what it writes, from any offset', () => {
    for (const indexes of [[0], [1], [0, 0], [3, 2, 1], [100, 0, 7000]]) {
      const bytes = Buffer.concat([Buffer.from([9, 9]), encodeMessageIndexes(indexes), Buffer.from([0xff])]);
      const read = decodeMessageIndexes(bytes, 2);
      expect(read.indexes).toEqual(indexes);
      expect(bytes[read.offset]).toBe(0xff);
    }
  });

  it('rejects a truncated list as a CodecError', () => {
    expect(() => decodeMessageIndexes(Buffer.from([4, 0]), 0)).toThrow(CodecError);
    expect(() => decodeMessageIndexes(Buffer.from([0x80]), 0)).toThrow(/truncated/);
  });
});
