import { describe, expect, it } from 'vitest';
import { CodecError } from '@goka/core';
import { frame, schemaIdOf } from './wire-format.js';

describe('Confluent wire format', () => {
  it('is magic byte 0, a big-endian 4-byte schema id, then the payload', () => {
    const bytes = frame(0x01020304, Buffer.from([7, 8]));
    expect([...bytes]).toEqual([0, 1, 2, 3, 4, 7, 8]);
    expect(schemaIdOf(bytes, 'avro')).toBe(0x01020304);
  });

  it('rejects short bytes and a wrong magic byte as CodecErrors naming the codec', () => {
    expect(() => schemaIdOf(Buffer.from([0, 1]), 'avro')).toThrow(/avro codec cannot decode: 2 bytes are too short/);
    expect(() => schemaIdOf(Buffer.from('{"a":1}'), 'avro')).toThrow(CodecError);
    expect(() => schemaIdOf(Buffer.from([1, 0, 0, 0, 1]), 'avro')).toThrow(/unknown magic byte 1/);
  });
});
