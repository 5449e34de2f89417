import { codecs } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';

describe('QueueTracker', () => {
  it('reads what was written after it started, in append order over all partitions, with headers', async () => {
    const tester = createTester({ partitions: 4 });
    tester.emitter('counts', codecs.int64);
    await tester.consume('counts', 'before', 1);
    const tracker = tester.tracker<number>('counts');
    await tester.consume('counts', 'user-0', 7, { headers: { source: 'test' }, timestamp: 1234 });
    await tester.consume('counts', 'some-key', -3);
    await tester.consume('counts', 'gone', null);

    const first = tracker.next();
    expect(first).toMatchObject({ key: 'user-0', value: 7, partition: tester.partitionOf('user-0'), timestamp: 1234 });
    expect(first?.headers['source']?.toString()).toBe('test');
    expect(tracker.next()).toMatchObject({ key: 'some-key', value: -3, partition: 3, offset: 0 });
    expect(tracker.next()).toMatchObject({ key: 'gone', value: null });
    expect(tracker.next()).toBeUndefined();
    // positions count the topic's records since the tester started (Goka's queue offsets)
    expect([tracker.hwm(), tracker.nextOffset()]).toEqual([4, 4]);
  });

  it('seeks, hands out raw bytes and drains', async () => {
    const tester = createTester();
    const tracker = tester.tracker('t', codecs.int64);
    await tester.consume('t', 'k', 42, { codec: codecs.int64 });
    await tester.consume('t', 'k', 43, { codec: codecs.int64 });
    expect(tracker.next()?.value).toBe(42);
    tracker.seek(0);
    expect(tracker.nextRaw()?.value).toEqual(Buffer.from('42'));
    expect(tracker.drain().map((m) => m.value)).toEqual([43]);
    tracker.seek(-5);
    expect(tracker.nextOffset()).toBe(0);
    tracker.seek(99);
    expect(tracker.nextOffset()).toBe(2);
  });

  it('needs a codec: its own or the topic’s registered one', () => {
    const tester = createTester();
    expect(() => tester.tracker('unknown')).toThrow(/no codec is registered for topic "unknown"/);
  });

  it('places keys with Goka’s partitioner', () => {
    expect(createTester({ partitions: 8 }).partitionOf('user-0')).toBe(1);
    expect(() => createTester({ partitions: 0 })).toThrow(/partitions/);
  });
});
