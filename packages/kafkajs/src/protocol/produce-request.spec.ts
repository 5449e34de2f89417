import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { decodeFetchResponse } from './fetch-request.js';
import { decodeProduceResponse, encodeProduceRequest } from './produce-request.js';

const require = createRequire(import.meta.url);
type KafkajsDecoder = {
  readInt16(): number;
  readInt32(): number;
  readString(): string;
  readArray<T>(read: (decoder: KafkajsDecoder) => T): T[];
  readInt8(): number;
  offset: number;
};
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => KafkajsDecoder;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: KafkajsDecoder,
) => Promise<{ records: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; timestamp: string; offset: string }>; lastOffsetDelta: number }>;

describe('crc32c', () => {
  it('matches the CRC-32C check value and is the same at every alignment', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff));
    const bytewise = (buffer: Buffer): number => {
      let crc = -1;
      for (const byte of buffer) {
        crc ^= byte;
        for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
      }
      return (crc ^ -1) >>> 0;
    };
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= bytes.length; end += 7) expect(crc32c(bytes, start, end)).toBe(bytewise(bytes.subarray(start, end)));
    }
  });
});

describe('encodeProduceRequest', () => {
  it('writes null header values as null, string values as UTF-8, and leaves out undefined and inherited names', async () => {
    const inherited: Record<string, Buffer> = Object.create({ inherited: Buffer.from('no') }) as Record<string, Buffer>;
    const headers = Object.assign(inherited, { empty: null, text: 'grüß', bytes: Buffer.from('b'), gone: undefined });
    const body = encodeProduceRequest({
      acks: -1,
      timeoutMs: 1000,
      now: 1,
      partitions: [{ topic: 't', partition: 0, records: [{ topic: 't', partition: 0, key: Buffer.from('k'), value: null, headers: headers as unknown as Record<string, Buffer> }] }],
    });
    const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4; // header, topic 't', partition count, partition
    const batch = body.subarray(at + 4, at + 4 + body.readInt32BE(at));
    const records = Buffer.alloc(4 + 4 + 2 + 1 + 4 + 4 + 2 + 8 + 8 + 4 + 4);
    let offset = records.writeInt32BE(0, 0); // throttle
    offset = records.writeInt32BE(1, offset);
    offset = records.writeInt16BE(1, offset);
    offset += records.write('t', offset);
    offset = records.writeInt32BE(1, offset);
    offset = records.writeInt32BE(0, offset);
    offset = records.writeInt16BE(0, offset);
    offset = records.writeBigInt64BE(1n, offset);
    offset = records.writeBigInt64BE(1n, offset);
    offset = records.writeInt32BE(0, offset);
    records.writeInt32BE(batch.length, offset);
    const decoded = await decodeFetchResponse(4, Buffer.concat([records, batch]), () => 0);
    const message = decoded.responses[0]?.partitions[0]?.messages[0];
    expect(Object.keys(message?.headers ?? {})).toEqual(['empty', 'text', 'bytes']);
    expect(message?.headers['empty']).toBeNull();
    expect(message?.headers['text']?.toString('utf8')).toBe('grüß');
    expect(message?.headers['bytes']?.toString('utf8')).toBe('b');
    expect(crc32c(batch, 21)).toBe(batch.readUInt32BE(17));
  });

  it('writes record batches kafkajs decodes back, with keys, values, tombstones, headers, timestamps and a valid CRC', async () => {
    const now = 1_700_000_000_000;
    const body = encodeProduceRequest({
      acks: -1,
      timeoutMs: 30_000,
      now,
      partitions: [
        {
          topic: 'tøpic',
          partition: 3,
          records: [
            { topic: 'tøpic', partition: 3, key: Buffer.from('k1'), value: Buffer.from('v1') },
            { topic: 'tøpic', partition: 3, key: Buffer.from('k2'), value: null, headers: { h: Buffer.from('x'), é: Buffer.alloc(0) } },
            { topic: 'tøpic', partition: 3, key: Buffer.alloc(0), value: Buffer.alloc(300, 7), timestamp: now - 5 },
          ],
        },
        { topic: 'other', partition: 0, records: [{ topic: 'other', partition: 0, key: Buffer.from('a'), value: Buffer.from('b') }] },
      ],
    });
    const decoder = new Decoder(body);
    expect(decoder.readInt16()).toBe(-1); // transactional id: null
    expect(decoder.readInt16()).toBe(-1); // acks
    expect(decoder.readInt32()).toBe(30_000);
    const topics = await Promise.all(
      decoder.readArray((topicDecoder) => ({
        topic: topicDecoder.readString(),
        partitions: topicDecoder.readArray((partitionDecoder) => {
          const partition = partitionDecoder.readInt32();
          const size = partitionDecoder.readInt32();
          const batch = body.subarray(partitionDecoder.offset, partitionDecoder.offset + size);
          partitionDecoder.offset += size;
          return { partition, batch };
        }),
      })),
    );
    expect(topics.map((t) => [t.topic, t.partitions.map((p) => p.partition)])).toEqual([
      ['tøpic', [3]],
      ['other', [0]],
    ]);
    const batch = topics[0]?.partitions[0]?.batch as Buffer;
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch, 21));
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
    const decoded = await decodeRecordBatch(new Decoder(batch));
    expect(decoded.lastOffsetDelta).toBe(2);
    expect(
      decoded.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.length ?? null, Object.keys(r.headers), r.timestamp]),
    ).toEqual([
      ['0', 'k1', 2, [], String(now)],
      ['1', 'k2', null, ['h', 'é'], String(now)],
      ['2', '', 300, [], String(now - 5)],
    ]);
    expect(decoded.records[1]?.headers['h']?.toString()).toBe('x');
  });
});

describe('decodeProduceResponse', () => {
  it('reads each partition’s error code and base offset (with the log start offset from version 5)', () => {
    const response = (withStart: boolean): Buffer => {
      const parts = [Buffer.from([0, 0, 0, 1, 0, 1]), Buffer.from('t'), Buffer.from([0, 0, 0, 2])];
      for (const [partition, code, offset] of [
        [0, 0, 41n],
        [1, 6, -1n],
      ] as const) {
        const entry = Buffer.alloc(withStart ? 30 : 22);
        entry.writeInt32BE(partition, 0);
        entry.writeInt16BE(code, 4);
        entry.writeBigInt64BE(offset, 6);
        entry.writeBigInt64BE(-1n, 14);
        parts.push(entry);
      }
      parts.push(Buffer.alloc(4));
      return Buffer.concat(parts);
    };
    const expected = [
      { topic: 't', partition: 0, errorCode: 0, baseOffset: 41 },
      { topic: 't', partition: 1, errorCode: 6, baseOffset: -1 },
    ];
    expect(decodeProduceResponse(3, response(false))).toEqual(expected);
    expect(decodeProduceResponse(7, response(true))).toEqual(expected);
  });
});
