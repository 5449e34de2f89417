import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '@goka/core/kafka';
import { AbortedTransactionFilter, isAbortMarker } from './aborted-transactions.js';
import { decodeFetchResponse } from './fetch-request.js';
import { encodeProduceRequest } from './produce-request.js';

const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

const rec = (value: string): OutgoingMessage => ({ topic: 't', partition: 0, key: Buffer.from(`k-${value}`), value: Buffer.from(value) });

/**
 * One record batch at `base` of producer `producerId` (transactional), as a broker stores it: our
 * produce encoding of `records`, with the base offset set (the reader checks no CRC).
 */
function batch(base: number, producerId: number, records: readonly OutgoingMessage[]): Buffer {
  const body = encodeProduceRequest({
    acks: -1,
    timeoutMs: 1000,
    now: 1,
    transactionalId: 'tx',
    partitions: [{ topic: 't', partition: 0, records, sequence: { producerId, producerEpoch: 0, baseSequence: 0 } }],
  });
  const at = 2 + 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4; // transactional id 'tx', acks, timeout, topic 't', partition count, partition
  const bytes = Buffer.from(body.subarray(at + 4, at + 4 + body.readInt32BE(at)));
  bytes.writeBigInt64BE(BigInt(base), 0);
  return bytes;
}

/** A control batch (COMMIT or ABORT marker) of `producerId` at `offset`. */
function marker(offset: number, producerId: number, type: 'commit' | 'abort'): Buffer {
  const key = Buffer.from([0, 0, 0, type === 'commit' ? 1 : 0]);
  const bytes = batch(offset, producerId, [{ topic: 't', partition: 0, key, value: Buffer.from([0, 0, 0, 0, 0, 0]) }]);
  bytes.writeInt16BE(TRANSACTIONAL | CONTROL, 21);
  return bytes;
}

/** A Fetch v4 response for partition 0 of `t`, with the aborted transactions list (`null`: none, as read_uncommitted). */
function response(records: Buffer, aborted: ReadonlyArray<readonly [number, number]> | null, highWatermark: number, lastStable: number): Buffer {
  const head = Buffer.alloc(4 + 4 + 2 + 1 + 4 + 4 + 2 + 8 + 8 + 4 + (aborted?.length ?? 0) * 16 + 4);
  let at = 0;
  at = head.writeInt32BE(0, at); // throttle
  at = head.writeInt32BE(1, at);
  at = head.writeInt16BE(1, at);
  at += head.write('t', at);
  at = head.writeInt32BE(1, at);
  at = head.writeInt32BE(0, at); // partition
  at = head.writeInt16BE(0, at);
  at = head.writeBigInt64BE(BigInt(highWatermark), at);
  at = head.writeBigInt64BE(BigInt(lastStable), at);
  at = head.writeInt32BE(aborted === null ? -1 : aborted.length, at);
  for (const [producerId, firstOffset] of aborted ?? []) {
    at = head.writeBigInt64BE(BigInt(producerId), at);
    at = head.writeBigInt64BE(BigInt(firstOffset), at);
  }
  head.writeInt32BE(records.length, at);
  return Buffer.concat([head, records]);
}

/**
 * Producers 7 and 8 interleave: 7 writes 0-1, aborts (marker 4); 8 writes 2, 3 and commits (marker 5);
 * 7 writes 6 in a new transaction and commits (marker 7); 8 writes 8-9, aborts (marker 10).
 */
const log = Buffer.concat([
  batch(0, 7, [rec('a0'), rec('a1')]),
  batch(2, 8, [rec('c2')]),
  batch(3, 8, [rec('c3')]),
  marker(4, 7, 'abort'),
  marker(5, 8, 'commit'),
  batch(6, 7, [rec('c6')]),
  marker(7, 7, 'commit'),
  batch(8, 8, [rec('a8'), rec('a9')]),
  marker(10, 8, 'abort'),
]);

describe('read_committed fetch decoding', () => {
  it('drops the batches of aborted transactions and every control batch, and moves past both', async () => {
    const decoded = await decodeFetchResponse(4, response(log, [[7, 0], [8, 8]], 11, 11), () => 0);
    const partition = decoded.responses[0]?.partitions[0];
    expect(partition?.messages.map((m) => [m.offset, m.value?.toString()])).toEqual([
      [2, 'c2'],
      [3, 'c3'],
      [6, 'c6'],
    ]);
    expect(partition?.nextOffset).toBe(11);
    expect(partition?.lastStableOffset).toBe(11);
  });

  it('keeps every data record without an aborted list (read_uncommitted), still skipping the markers', async () => {
    const decoded = await decodeFetchResponse(4, response(log, null, 11, 11), () => 0);
    const partition = decoded.responses[0]?.partitions[0];
    expect(partition?.messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 6, 8, 9]);
    expect(partition?.nextOffset).toBe(11);
  });

  it('does not drop a producer’s later transaction once its ABORT marker passed', async () => {
    // only 7's first transaction is aborted: its commit of offset 6 stays
    const decoded = await decodeFetchResponse(4, response(log, [[7, 0]], 11, 11), () => 0);
    expect(decoded.responses[0]?.partitions[0]?.messages.map((m) => m.offset)).toEqual([2, 3, 6, 8, 9]);
  });

  it('reports the last stable offset beside the high-water mark (the LSO falls back to it when unknown)', async () => {
    const open = Buffer.concat([batch(0, 7, [rec('c0')]), marker(1, 7, 'commit'), batch(2, 8, [rec('open')])]);
    const held = await decodeFetchResponse(4, response(open, [], 3, 2), () => 0);
    expect(held.responses[0]?.partitions[0]).toMatchObject({ highWatermark: 3, lastStableOffset: 2 });
    const unknown = await decodeFetchResponse(4, response(open, [], 3, -1), () => 0);
    expect(unknown.responses[0]?.partitions[0]).toMatchObject({ highWatermark: 3, lastStableOffset: 3 });
  });
});

describe('AbortedTransactionFilter', () => {
  it('starts dropping a producer’s batches at its aborted transaction’s first offset, not before', () => {
    const filter = new AbortedTransactionFilter([{ producerId: 1, firstOffset: 5 }]);
    expect(filter.drops(1, 3, true, false, false)).toBe(false); // an earlier, committed transaction
    expect(filter.drops(1, 6, true, false, false)).toBe(true);
    expect(filter.drops(2, 7, true, false, false)).toBe(false); // another producer
    expect(filter.drops(1, 8, true, true, true)).toBe(true); // its ABORT marker
    expect(filter.drops(1, 9, true, false, false)).toBe(false);
    expect(filter.drops(-1, 10, false, false, false)).toBe(false);
  });

  it('tells an ABORT marker from a COMMIT marker', () => {
    const records = (type: number): Buffer => marker(0, 1, type === 0 ? 'abort' : 'commit').subarray(61);
    expect(isAbortMarker(records(0))).toBe(true);
    expect(isAbortMarker(records(1))).toBe(false);
  });
});
