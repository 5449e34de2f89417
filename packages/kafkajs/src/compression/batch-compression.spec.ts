import { describe, expect, it } from 'vitest';
import { compressSync as rawSnappy } from 'snappy';
import { BatchDecompressionError, CompressionUnavailableError } from '@goka/core';
import { COMPRESSION_TYPES } from '@goka/core/kafka';
import type { CompressionType, OutgoingMessage } from '@goka/core/kafka';
import { crc32c } from '../protocol/crc32c.js';
import { decodeRecords } from '../protocol/fetch-request.js';
import { encodeProduceRequest } from '../protocol/produce-request.js';
import { batchCodec, decompressBatch, requireCompression } from './batch-compression.js';
import { ZSTD_COMPRESSION_UNAVAILABLE } from './zstd.js';

/**
 * Record batches as the Java client (kafka-clients 4.4.0, the broker jars) writes them, one per codec:
 * base offset 100, records `k0`…`k3` with timestamps 1700000000000 + i, header `n` = i, values
 * `value-<i>-` + "goka " × 20 and `k2` a tombstone. Made by fixtures/JavaBatches.java.
 */
export const JAVA_BATCHES = {
  gzip:
    '00000000000000640000008bffffffff028b23995a0001000000030000018bcfe568000000018bcfe56803ffffffffffffffffffffffffffff000000' +
    '041f8b08000000000000fffbc4c8c0c0c0926d7083b12c31a73455d740373d3f3b5181c60413531e93c12746062626966c4398d58674b3da50828185' +
    '8525db8811c43102ba838d8d25db18e60e63bab9c318006bb50bcc7e010000',
  snappy:
    '00000000000000640000009fffffffff02af7480430002000000030000018bcfe568000000018bcfe56803ffffffffffffffffffffffffffff000000' +
    '0482534e415050590000000001000000010000005afe0258f201000000046b30d80176616c75652d302d676f6b6120fe05007a05003002026e0230f2' +
    '01000202046b31117b0031fe7b00a27b00203118000404046b320101882032f201000606046b3311880033fe8800a288000033',
  lz4:
    '000000000000006400000094ffffffff0203dee64a0003000000030000018bcfe568000000018bcfe56803ffffffffffffffffffffffffffff000000' +
    '0404224d1860408254000000ff08f201000000046b30d80176616c75652d302d676f6b612005004cd402026e0230f201000202046b317b001f317b00' +
    '56903118000404046b320188009432f201000606046b3388001f338800525002026e023300000000',
  zstd:
    '00000000000000640000008cffffffff024a296b600004000000030000018bcfe568000000018bcfe56803ffffffffffffffffffffffffffff000000' +
    '0428b52ffd00587c0200d403f201000000046b30d80176616c75652d302d676f6b612002026e0230f201000202046b31313118000404046b32010202' +
    '6e0232f201000606046b33333305000692b0306f1b48971fde9f319526010000',
} as const;

/** Whether this Node compresses zstd (22.15 and later; 22.12 to 22.14 only read it, with fzstd). */
const zstdWrites = ZSTD_COMPRESSION_UNAVAILABLE === undefined;
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Text that compresses (repeats) and bytes that do not (pseudo-random), together over several 32/64 KiB blocks. */
function sample(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let seed = 7;
  for (let i = 0; i < bytes; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = i % 3 === 0 ? seed >>> 24 : 'goka '.charCodeAt(i % 5);
  }
  return out;
}

const where = { topic: 'clicks', partition: 3, baseOffset: 42 };

describe('batch codecs', () => {
  it.each(CODECS)('%s: what it compresses decompresses to the same bytes (empty, small, and over many blocks)', (name) => {
    const codec = batchCodec(name);
    if (codec === undefined) throw new Error(`no codec ${name}`);
    for (const input of [Buffer.alloc(0), Buffer.from('goka '.repeat(40)), sample(200_000)]) {
      if (name === 'zstd' && !zstdWrites) {
        expect(() => codec.compress(input)).toThrow(CompressionUnavailableError);
        continue;
      }
      const compressed = codec.compress(input);
      if (input.length > 100) expect(compressed.length).toBeLessThan(input.length);
      expect(decompressBatch(codec.id, compressed, where).equals(input)).toBe(true);
    }
  });

  it('snappy writes the xerial framing of Java clients (32 KiB blocks) and reads raw blocks as sarama (Go Goka) writes them', () => {
    const codec = batchCodec('snappy');
    const input = sample(100_000);
    const framed = codec?.compress(input) ?? Buffer.alloc(0);
    expect(framed.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    let blocks = 0;
    for (let at = 16; at < framed.length; at += 4 + framed.readInt32BE(at)) blocks++;
    expect(blocks).toBe(Math.ceil(input.length / 32_768));
    expect(decompressBatch(2, rawSnappy(input), where).equals(input)).toBe(true);
  });

  it('lz4 writes the LZ4 frame format with the header the Java client writes (64 KiB independent blocks, no checksums)', () => {
    const frame = batchCodec('lz4')?.compress(sample(1000)) ?? Buffer.alloc(0);
    const java = Buffer.from(JAVA_BATCHES.lz4, 'hex').subarray(61);
    expect(frame.subarray(0, 7).toString('hex')).toBe('04224d18604082');
    expect(java.subarray(0, 7).toString('hex')).toBe('04224d18604082');
  });

  it('zstd: writing needs Node 22.15 (node:zlib), else the producer check fails with a typed error', () => {
    if (zstdWrites) expect(() => requireCompression('zstd')).not.toThrow();
    else expect(() => requireCompression('zstd')).toThrow(/zstd compression is not available: node:zlib has no zstd before Node 22.15/);
    for (const type of COMPRESSION_TYPES) if (type !== 'zstd') expect(() => requireCompression(type)).not.toThrow();
  });

  it('an unknown codec number or corrupt bytes fail with a BatchDecompressionError naming topic, partition, offset and codec', () => {
    const unknown = (() => decompressBatch(5, Buffer.from('x'), where)) as () => never;
    expect(unknown).toThrow(BatchDecompressionError);
    expect(unknown).toThrow('cannot decompress the codec 5 record batch at offset 42 of topic "clicks" partition 3: codec 5 is not a Kafka compression codec');
    for (const name of CODECS) {
      const codec = batchCodec(name);
      const corrupt = Buffer.from(JAVA_BATCHES[name], 'hex').subarray(61, 90);
      let error: unknown;
      try {
        decompressBatch(codec?.id ?? 0, corrupt, where);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(BatchDecompressionError);
      expect(error).toMatchObject({ topic: 'clicks', partition: 3, baseOffset: 42, codec: name, retriable: false });
      expect((error as Error).message).toContain(`cannot decompress the ${name} record batch at offset 42 of topic "clicks" partition 3: `);
    }
  });
});

describe('record batches of the Java client', () => {
  it.each(CODECS)('%s: decodeRecords reads every record (keys, values, tombstone, headers, timestamps, offsets); the CRC-32C covers attributes to end', async (name) => {
    const batch = Buffer.from(JAVA_BATCHES[name], 'hex');
    expect(batch.readInt16BE(21) & 0x07).toBe(batchCodec(name)?.id);
    expect(crc32c(batch, 21)).toBe(batch.readUInt32BE(17));
    const { messages, nextOffset } = await decodeRecords('t', 0, 100, batch);
    expect(nextOffset).toBe(104);
    expect(messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString() ?? null, m.headers['n']?.toString(), m.timestamp])).toEqual(
      [0, 1, 2, 3].map((i) => [100 + i, `k${i}`, i === 2 ? null : `value-${i}-${'goka '.repeat(20)}`, String(i), 1_700_000_000_000 + i]),
    );
  });
});

describe('compressed produce requests', () => {
  const records: OutgoingMessage[] = Array.from({ length: 50 }, (_, i) => ({
    topic: 't',
    partition: 0,
    key: Buffer.from(`key-${i}`),
    value: i === 7 ? null : Buffer.from(`value-${i}-${'goka '.repeat(30)}`),
    ...(i % 10 === 0 ? { headers: { h: Buffer.from(`x${i}`) } } : {}),
  }));

  /** The record batch of the request's only partition. */
  function batchOf(compression: CompressionType): Buffer {
    const body = encodeProduceRequest({ acks: -1, timeoutMs: 1000, now: 1_700_000_000_000, compression, partitions: [{ topic: 't', partition: 0, records }] });
    const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4;
    return body.subarray(at + 4, at + 4 + body.readInt32BE(at));
  }

  it.each(COMPRESSION_TYPES)('%s: the codec in the attributes, a valid CRC-32C, a smaller batch, and every record read back', async (compression) => {
    if (compression === 'zstd' && !zstdWrites) {
      expect(() => batchOf('zstd')).toThrow(CompressionUnavailableError);
      return;
    }
    const batch = batchOf(compression);
    expect(batch.readInt16BE(21)).toBe(COMPRESSION_TYPES.indexOf(compression));
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    expect(crc32c(batch, 21)).toBe(batch.readUInt32BE(17));
    if (compression !== 'none') expect(batch.length).toBeLessThan(batchOf('none').length / 3);
    const { messages } = await decodeRecords('t', 0, 0, batch);
    expect(messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString() ?? null, m.headers['h']?.toString()])).toEqual(
      records.map((r, i) => [i, r.key.toString(), r.value?.toString() ?? null, r.headers?.['h']?.toString()]),
    );
  });
});
