import { describe, expect, it } from 'vitest';
import { fetchedBatch } from './fetched-batch.js';
import type { RawRecord } from './kafkajs-internals.js';

function raw(offset: number, batch: { first: number; delta: number }, control = false): RawRecord {
  return {
    offset: String(offset),
    timestamp: '1700000000000',
    key: Buffer.from(`k${offset}`),
    value: offset === 4 ? null : Buffer.from(`v${offset}`),
    headers: { h: [Buffer.from('first'), Buffer.from('last')] },
    isControlRecord: control,
    batchContext: { firstOffset: String(batch.first), lastOffsetDelta: batch.delta },
  };
}

describe('fetchedBatch', () => {
  it('keeps records from the asked offset, skips control records and moves past every batch', () => {
    const batchA = { first: 0, delta: 2 };
    const batchB = { first: 3, delta: 4 }; // offsets 3..7; 5 and 6 compacted away, 7 a commit marker
    const batch = fetchedBatch('t', 2, 1, {
      partition: 2,
      errorCode: 0,
      highWatermark: '9',
      messages: [raw(0, batchA), raw(1, batchA), raw(2, batchA), raw(3, batchB), raw(4, batchB), raw(7, batchB, true)],
    });
    expect(batch.messages.map((m) => [m.offset, m.key?.toString(), m.value?.toString() ?? null])).toEqual([
      [1, 'k1', 'v1'],
      [2, 'k2', 'v2'],
      [3, 'k3', 'v3'],
      [4, 'k4', null],
    ]);
    expect(batch.nextOffset).toBe(8);
    expect(batch.highWatermark).toBe(9);
    expect(batch.messages[0]).toMatchObject({ topic: 't', partition: 2, timestamp: 1700000000000 });
    expect(batch.messages[0]?.headers['h']?.toString()).toBe('last');
  });

  it('stays at the asked offset when the fetch had nothing', () => {
    expect(fetchedBatch('t', 0, 5, { partition: 0, errorCode: 0, highWatermark: '5', messages: [] })).toEqual({
      messages: [],
      nextOffset: 5,
      highWatermark: 5,
    });
  });
});
