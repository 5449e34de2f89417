import { describe, expect, it } from 'vitest';
import { TableGoneError } from '../errors/table-error.js';
import type { ReadBatch } from '../kafka/partition-reader.js';
import { b, contents, fixture, produce, recordStates, TOPIC } from '../test-support/partition-table-fixture.js';

describe('PartitionTable recovery', () => {
  it('recovers puts and tombstones in large batches, then marks the store recovered', async () => {
    const f = fixture();
    const expected = new Map<string, string>();
    const records: Array<[string, string | null]> = [];
    for (let i = 0; i < 25_000; i++) {
      const key = `k${i % 3_000}`;
      const value = i % 7 === 0 ? null : `v${i}`;
      records.push([key, value]);
      if (value === null) expected.delete(key);
      else expected.set(key, value);
    }
    produce(f.kafka, records);
    const table = f.table();
    const states = recordStates(table);
    await table.recover();

    expect(states).toEqual(['stopped', 'initializing', 'connecting', 'recovering', 'preparing', 'running']);
    expect(f.store.writes).toBeLessThanOrEqual(3);
    expect(f.store.writes).toBeGreaterThan(0);
    expect(await contents(f.store)).toEqual(Object.fromEntries(expected));
    expect(await f.store.getOffset()).toBe(24_999);
    expect(f.store.recovered).toBe(true);
    expect(table.recovered).toBe(true);
    expect(f.reader.starts).toEqual([0]);
    expect(f.reader.records).toBe(25_000);
  });

  it('nothing stored: reads from the oldest offset', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
    f.kafka.partitionLog(TOPIC, 0).deleteBefore(2);
    await f.table().recover();
    expect(f.reader.starts).toEqual([2]);
    expect(await contents(f.store)).toEqual({ c: '3', d: '4' });
  });

  it('stored offset: resumes at stored + 1', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
    await f.store.setOffset(1);
    await f.table().recover();
    expect(f.reader.starts).toEqual([2]);
    expect(f.reader.records).toBe(2);
    expect(await contents(f.store)).toEqual({ c: '3', d: '4' });
    expect(await f.store.getOffset()).toBe(3);
  });

  it('stored offset older than the oldest: reads from the oldest', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]);
    f.kafka.partitionLog(TOPIC, 0).deleteBefore(3);
    await f.store.setOffset(0);
    await f.table().recover();
    expect(f.reader.starts).toEqual([3]);
    expect(await contents(f.store)).toEqual({ d: '4', e: '5' });
  });

  it('stored offset at hwm - 1: running without reading', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    await f.store.setOffset(1);
    const table = f.table();
    const states = recordStates(table);
    await table.recover();
    expect(f.reader.starts).toEqual([]);
    expect(states).toEqual(['stopped', 'initializing', 'connecting', 'preparing', 'running']);
    expect(f.store.recovered).toBe(true);
    expect(f.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });

  it('empty topic and nothing stored: recovered at once', async () => {
    const f = fixture();
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(f.reader.starts).toEqual([]);
    expect(f.store.recovered).toBe(true);
  });

  it('stored offset at or past the hwm: warns (topic recreated?) and counts as recovered', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    await f.store.setOffset(7);
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(f.reader.starts).toEqual([]);
    const warnings = f.lines.filter((line) => line.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('local offset 7 is not below the high-water mark 2');
    expect(warnings[0]).toContain('delete the local cache');
  });

  it('stored offset > 0 but the topic is empty: TableGoneError, store untouched', async () => {
    const f = fixture();
    await f.store.set('kept', b('x'));
    await f.store.setOffset(5);
    const table = f.table();
    const error = await table.recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableGoneError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, hwm: 0, storedOffset: 5, retriable: false });
    expect((error as Error).message).toMatch(/The table might be gone\. Try to delete your local cache!/);
    expect(await contents(f.store)).toEqual({ kept: 'x' });
    expect(f.store.recovered).toBe(false);
  });

  it('restart from a persisted store reads only the new records', async () => {
    const f = fixture();
    produce(
      f.kafka,
      Array.from({ length: 100 }, (_, i) => [`k${i}`, `v${i}`] as const),
    );
    const first = f.table();
    await first.recover();
    await first.close();
    expect(first.state).toBe('stopped');
    expect(f.reader.records).toBe(100);

    produce(f.kafka, [['k1', 'new'], ['late', 'x'], ['k2', null]]);
    f.reader.records = 0;
    const second = f.table();
    await second.recover();
    expect(f.reader.starts).toEqual([0, 100]);
    expect(f.reader.records).toBe(3);
    const stored = await contents(f.store);
    expect(stored['k1']).toBe('new');
    expect(stored['late']).toBe('x');
    expect(stored['k2']).toBeUndefined();
    expect(Object.keys(stored)).toHaveLength(100);
  });

  it('finishes across compaction gaps, also when the tail of the log was compacted away', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '1'], ['a', '2'], ['c', '1'], ['b', '2'], ['c', null]]);
    f.kafka.compact(TOPIC, { dropTombstones: true });
    // Offsets 2 (a) and 4 (b) remain; 5 (the tombstone of c) is gone: the hwm is 6, the last record 4.
    expect(f.kafka.offsets(TOPIC, 0)).toEqual({ oldest: 2, hwm: 6 });
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(await contents(f.store)).toEqual({ a: '2', b: '2' });
    expect(await f.store.getOffset()).toBe(4);
  });

  it('an empty batch that skipped offsets (control records) does not end recovery', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['skipped', 'x'], ['c', '3']]);
    const [first, second, , fourth] = f.kafka.read(TOPIC, 0);
    // A reader whose second fetch only found a control record at offset 2.
    const batches: ReadBatch[] = [
      { messages: [first, second].filter((m) => m !== undefined), nextOffset: 2, highWatermark: 4 },
      { messages: [], nextOffset: 3, highWatermark: 4 },
      { messages: fourth === undefined ? [] : [fourth], nextOffset: 4, highWatermark: 4 },
    ];
    const reader = {
      async *read(): AsyncIterable<ReadBatch> {
        yield* batches;
      },
    };
    const table = f.table({ reader });
    await table.recover();
    expect(await contents(f.store)).toEqual({ a: '1', b: '2', c: '3' });
    expect(await f.store.getOffset()).toBe(3);
  });

  it('a record without key is stored under the empty key (as in Goka)', async () => {
    const f = fixture();
    f.kafka.produce([{ topic: TOPIC, partition: 0, key: null as unknown as Buffer, value: b('v') }]);
    await f.table().recover();
    expect(await contents(f.store)).toEqual({ '': 'v' });
  });
});

describe('PartitionTable stats', () => {
  it('counts records, bytes, writes and records the recovery', async () => {
    const f = fixture();
    produce(f.kafka, [['ab', '123'], ['c', null]]);
    const table = f.table();
    expect(table.stats()).toMatchObject({ state: 'stopped', records: 0, offset: undefined, hwm: undefined });
    await table.recover();
    const stats = table.stats();
    expect(stats).toMatchObject({
      topic: TOPIC,
      partition: 0,
      state: 'running',
      offset: 1,
      hwm: 2,
      lag: 0,
      records: 2,
      bytes: 2 + 3 + 1,
      writes: 1,
      recovery: { storedOffset: undefined, startOffset: 0, hwm: 2 },
    });
    expect(stats.recovery.startTime).toBeTypeOf('number');
    expect(stats.recovery.endTime).toBeGreaterThanOrEqual(stats.recovery.startTime as number);
    expect(stats.lastRecordAt).toBeTypeOf('number');
  });
});
