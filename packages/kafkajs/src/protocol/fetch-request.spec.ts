import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '@goka/core/kafka';
import { decodeFetchResponse, encodeFetchRequest } from './fetch-request.js';
import { encodeProduceRequest } from './produce-request.js';

/** One record batch with base offset `base` (the bytes a produce request carries for one partition). */
function batch(base: number, records: readonly OutgoingMessage[], now = 1_700_000_000_000): Buffer {
  const body = encodeProduceRequest({ acks: -1, timeoutMs: 1000, now, partitions: [{ topic: 't', partition: 0, records }] });
  const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4; // header, topic 't', partition count, partition
  const size = body.readInt32BE(at);
  const bytes = Buffer.from(body.subarray(at + 4, at + 4 + size));
  bytes.writeBigInt64BE(BigInt(base), 0); // the CRC does not cover the base offset
  return bytes;
}

const rec = (key: string, value: string | null, headers?: Record<string, Buffer>): OutgoingMessage => ({
  topic: 't',
  partition: 0,
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  ...(headers === undefined ? {} : { headers }),
});

/** A Fetch v4 response for partition 0 of topic `t`. */
function response(records: Buffer, errorCode = 0, highWatermark = 10): Buffer {
  const head = Buffer.alloc(4 + 4 + 2 + 1 + 4 + 4 + 2 + 8 + 8 + 4 + 4);
  let at = 0;
  at = head.writeInt32BE(0, at); // throttle
  at = head.writeInt32BE(1, at); // topics
  at = head.writeInt16BE(1, at);
  at += head.write('t', at);
  at = head.writeInt32BE(1, at); // partitions
  at = head.writeInt32BE(0, at);
  at = head.writeInt16BE(errorCode, at);
  at = head.writeBigInt64BE(BigInt(highWatermark), at);
  at = head.writeBigInt64BE(BigInt(highWatermark), at);
  at = head.writeInt32BE(0, at); // aborted transactions
  head.writeInt32BE(records.length, at);
  return Buffer.concat([head, records]);
}

describe('decodeFetchResponse', () => {
  it('turns record batches into messages from the asked offset, with headers, tombstones and timestamps', async () => {
    const records = Buffer.concat([
      batch(3, [rec('a', '1'), rec('b', '2')]),
      batch(5, [rec('c', null, { h: Buffer.from('x') }), { ...rec('d', '4'), timestamp: 42 }]),
    ]);
    const decoded = await decodeFetchResponse(4, response(records), () => 4);
    const partition = decoded.responses[0]?.partitions[0];
    expect(partition?.highWatermark).toBe(10);
    expect(partition?.nextOffset).toBe(7);
    expect(partition?.messages.map((m) => [m.topic, m.partition, m.offset, m.key?.toString(), m.value?.toString() ?? null, Object.keys(m.headers), m.timestamp])).toEqual([
      ['t', 0, 4, 'b', '2', [], 1_700_000_000_000],
      ['t', 0, 5, 'c', null, ['h'], 1_700_000_000_000],
      ['t', 0, 6, 'd', '4', [], 42],
    ]);
    expect(partition?.messages[1]?.headers['h']?.toString()).toBe('x');
  });

  it('leaves out a batch cut by the byte limit and the records of control batches, moving past the latter', async () => {
    const control = batch(2, [rec('ctl', 'marker')]);
    control.writeInt16BE(0x20, 21); // the control flag (the CRC is not checked by the reader)
    const whole = batch(3, [rec('a', '1')]);
    const cut = batch(4, [rec('b', '2')]).subarray(0, 65);
    const decoded = await decodeFetchResponse(4, response(Buffer.concat([control, whole, cut])), () => 0);
    const partition = decoded.responses[0]?.partitions[0];
    expect(partition?.messages.map((m) => m.offset)).toEqual([3]);
    expect(partition?.nextOffset).toBe(4);
    expect(partition).toMatchObject({ truncated: false, neededBytes: 0 });
  });

  it('reports a record set without a complete batch as truncated, with the size of the cut batch', async () => {
    const whole = batch(4, [rec('b', 'x'.repeat(500))]);
    const cut = await decodeFetchResponse(4, response(whole.subarray(0, 100)), () => 4);
    expect(cut.responses[0]?.partitions[0]).toMatchObject({ messages: [], nextOffset: 4, truncated: true, neededBytes: whole.length });
    const headless = await decodeFetchResponse(4, response(whole.subarray(0, 10)), () => 4);
    expect(headless.responses[0]?.partitions[0]).toMatchObject({ messages: [], nextOffset: 4, truncated: true, neededBytes: 0 });
  });

  it('decodes a legacy message set shorter than a record batch header (message format 0)', async () => {
    const message = Buffer.alloc(8 + 4 + 4 + 1 + 1 + 4 + 4 + 1);
    message.writeBigInt64BE(7n, 0);
    message.writeInt32BE(message.length - 12, 8);
    message.writeInt8(0, 16); // magic 0
    message.writeInt32BE(-1, 18); // key: null
    message.writeInt32BE(1, 22);
    message.write('v', 26);
    message.writeUInt32BE(crc32(message.subarray(16)), 12);
    expect(message.length).toBeLessThan(61);
    const decoded = await decodeFetchResponse(4, response(message), () => 7);
    const partition = decoded.responses[0]?.partitions[0];
    expect(partition?.messages.map((m) => [m.offset, m.key, m.value?.toString()])).toEqual([[7, null, 'v']]);
    expect(partition).toMatchObject({ nextOffset: 8, truncated: false });
  });

  it('rejects a batch whose compression codec is none of Kafka\'s (5 to 7)', async () => {
    const bad = batch(0, [rec('a', '1')]);
    bad.writeInt16BE(5, 21);
    await expect(decodeFetchResponse(4, response(bad), () => 0)).rejects.toMatchObject({
      name: 'BatchDecompressionError',
      topic: 't',
      partition: 0,
      codec: 'codec 5',
      retriable: false,
      message: expect.stringContaining('codec 5 is not a Kafka compression codec'),
    });
  });

  it('keeps the asked offset for a failed or empty partition', async () => {
    const decoded = await decodeFetchResponse(4, response(Buffer.alloc(0), 1), () => 8);
    expect(decoded.responses[0]?.partitions[0]).toMatchObject({ errorCode: 1, messages: [], nextOffset: 8 });
  });
});

describe('encodeFetchRequest', () => {
  it('writes the fields of each version', () => {
    const request = {
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 2048,
      isolationLevel: 0,
      topics: [{ topic: 't', partitions: [{ partition: 2, fetchOffset: 7, maxBytes: 1024 }] }],
    };
    const v4 = encodeFetchRequest(4, request);
    expect(v4.length).toBe(4 + 4 + 4 + 4 + 1 + 4 + 3 + 4 + 4 + 8 + 4);
    expect(v4.readInt32BE(4)).toBe(500);
    expect(Number(v4.readBigInt64BE(v4.length - 12))).toBe(7);
    const v11 = encodeFetchRequest(11, request);
    expect(v11.length).toBe(v4.length + 8 + 4 + 8 + 4 + 2);
    expect(v11.readInt32BE(v11.length - 10)).toBe(1024); // before forgotten topics and rack id
  });
});
