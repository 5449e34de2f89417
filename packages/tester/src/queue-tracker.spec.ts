import { codecs } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';

const send = (tester: ReturnType<typeof createTester>, topic: string, key: string, value: number | null) =>
  tester.kafka.createProducer().send([
    {
      topic,
      partition: tester.partitionOf(key),
      key: Buffer.from(key),
      value: value === null ? null : codecs.int64.encode(value),
      headers: { source: Buffer.from('test') },
    },
  ]);

describe('QueueTracker', () => {
  it('reads only what was written after it started, in append order over all partitions', async () => {
    const tester = createTester({ partitions: 4 });
    tester.ensureTopic('counts');
    await send(tester, 'counts', 'before', 1);
    const tracker = tester.tracker('counts', codecs.int64);
    await send(tester, 'counts', 'user-0', 7);
    await send(tester, 'counts', 'some-key', -3);
    await send(tester, 'counts', 'gone', null);

    const first = tracker.next();
    expect(first).toMatchObject({ key: 'user-0', value: 7, partition: tester.partitionOf('user-0') });
    expect(first?.headers['source']?.toString()).toBe('test');
    expect(tracker.next()).toMatchObject({ key: 'some-key', value: -3, partition: 3 });
    expect(tracker.next()).toMatchObject({ key: 'gone', value: null });
    expect(tracker.next()).toBeUndefined();
    expect([tracker.hwm(), tracker.nextOffset()]).toEqual([3, 3]);
  });

  it('seeks back and hands out raw bytes', async () => {
    const tester = createTester();
    const tracker = tester.tracker('t', codecs.int64);
    await send(tester, 't', 'k', 42);
    expect(tracker.next()?.value).toBe(42);
    tracker.seek(0);
    expect(tracker.nextRaw()?.value).toEqual(Buffer.from('42'));
    tracker.release();
    await send(tester, 't', 'k', 43);
    expect(tracker.hwm()).toBe(1);
  });

  it('places keys with Goka’s partitioner', () => {
    expect(createTester({ partitions: 8 }).partitionOf('user-0')).toBe(1);
    expect(() => createTester({ partitions: 0 })).toThrow(/partitions/);
  });
});
