import { describe, expect, it } from 'vitest';
import { PendingRecord } from './pending-record.js';
import { RecordQueue } from './record-queue.js';

function record(key: string, value: string | null): PendingRecord {
  return new PendingRecord('t', key, Buffer.from(key), value === null ? null : Buffer.from(value), undefined);
}

function keys(records: readonly PendingRecord[]): string[] {
  return records.map((r) => r.keyText);
}

describe('RecordQueue', () => {
  it('counts key and value bytes (a tombstone has no value bytes)', () => {
    const queue = new RecordQueue();
    queue.push(record('ab', 'cde'));
    queue.push(record('f', null));
    expect([queue.length, queue.bytes]).toEqual([2, 6]);
    expect(queue.isFull(3, 7)).toBe(false);
    expect(queue.isFull(2, 100)).toBe(true);
    expect(queue.isFull(100, 6)).toBe(true);
  });

  it('takes everything at once when it fits', () => {
    const queue = new RecordQueue();
    for (const key of ['a', 'b', 'c']) queue.push(record(key, 'v'));
    expect(keys(queue.take(10, 100))).toEqual(['a', 'b', 'c']);
    expect([queue.length, queue.bytes]).toEqual([0, 0]);
  });

  it('takes the oldest records bounded by count and bytes, a single large record alone', () => {
    const queue = new RecordQueue();
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.push(record(key, 'v')); // 2 bytes each
    queue.push(record('big', 'x'.repeat(20)));
    queue.push(record('z', 'v'));
    expect(keys(queue.take(2, 100))).toEqual(['a', 'b']);
    expect(keys(queue.take(10, 5))).toEqual(['c', 'd']);
    expect(keys(queue.take(10, 5))).toEqual(['e']);
    expect(keys(queue.take(10, 5))).toEqual(['big']);
    expect(queue.bytes).toBe(2);
    expect(keys(queue.take(10, 5))).toEqual(['z']);
    expect(queue.take(10, 5)).toEqual([]);
  });

  it('rejectAll rejects and removes every record', async () => {
    const queue = new RecordQueue();
    const records = [record('a', 'v'), record('b', 'v')];
    const settled = records.map(
      (r) =>
        new Promise<unknown>((resolve) => {
          r.reject = resolve;
        }),
    );
    for (const r of records) queue.push(r);
    const error = new Error('down');
    queue.rejectAll(error);
    await expect(Promise.all(settled)).resolves.toEqual([error, error]);
    expect([queue.length, queue.bytes]).toEqual([0, 0]);
  });
});
