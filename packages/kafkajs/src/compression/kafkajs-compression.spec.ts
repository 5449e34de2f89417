import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSnappyCodec } from './kafkajs-compression.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

describe('registerSnappyCodec', () => {
  const before = CompressionCodecs[CompressionTypes.Snappy];
  afterEach(() => {
    CompressionCodecs[CompressionTypes.Snappy] = before;
  });

  it('replaces kafkajs\' "not implemented" placeholder with a codec that reads raw and xerial-framed Snappy', async () => {
    CompressionCodecs[CompressionTypes.Snappy] = () => {
      throw new Error('Snappy compression not implemented');
    };
    registerSnappyCodec();
    const codec = (CompressionCodecs[CompressionTypes.Snappy] as () => Codec)();
    const input = Buffer.from('goka goka goka goka goka goka goka goka');
    const raw = await codec.compress({ buffer: input });
    expect((await codec.decompress(raw)).equals(input)).toBe(true);
    // snappy-java's stream format (Java clients): magic, version 1, compatible 1, then [length][block]...
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(raw.length);
    const framed = Buffer.concat([header, length, raw, length, raw]);
    expect((await codec.decompress(framed)).equals(Buffer.concat([input, input]))).toBe(true);
  });

  it('keeps a Snappy codec the application registered before (e.g. a native one)', () => {
    const own = (): Codec => ({ compress: async () => Buffer.alloc(0), decompress: async () => Buffer.alloc(0) });
    CompressionCodecs[CompressionTypes.Snappy] = own;
    registerSnappyCodec();
    expect(CompressionCodecs[CompressionTypes.Snappy]).toBe(own);
  });
});
