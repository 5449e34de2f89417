import { codecs, silentLogger, tableName } from '@goka/core';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { committedOffsets, createTopics, highWatermarks } from './processor-harness.js';
import { ClickWriter } from './click-writer.js';
import { CounterProcesses } from './worker-process.js';

const PARTITIONS = 4;
const KEYS = 50;

describe('RocksDB storage: a processor killed with SIGKILL while it writes', () => {
  let processes: CounterProcesses | undefined;

  afterAll(async () => {
    await processes?.stop();
  });

  it('leaves a store that reopens in the next process, whose counts reach at least what was emitted', async () => {
    const brokers = systemBrokers();
    const group = uniqueName('rocksdb-crash');
    const topic = uniqueName('rocksdb-crash-clicks');
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    processes = new CounterProcesses({ brokers, group, input: topic });
    const storage = await processes.storage('rocksdb-crash');
    const { timeline } = processes;

    const clicks = new ClickWriter(brokers, topic, KEYS);
    /** Resolves once the group committed past `count` input records: the processor has been writing its store. */
    const processed = (count: number): Promise<void> =>
      eventually(
        async () => {
          const offsets = await committedOffsets(brokers, group, topic);
          expect([...offsets.values()].reduce((sum, offset) => sum + Math.max(0, offset), 0)).toBeGreaterThanOrEqual(count);
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );

    const first = await processes.start('first', storage);
    await first.until((events) => events.some((e) => e.event === 'ready'), 'ready');
    clicks.start(200);
    await processed(3000);
    first.child.kill('SIGKILL');
    await first.exited();

    // The next process opens the same RocksDB directory (the WAL of the killed one replayed) and goes on.
    const second = await processes.start('second', storage);
    await second.until((events) => events.some((e) => e.event === 'ready'), 'ready after the crash');
    await processed(clicks.total + 2000);
    await clicks.stop();
    const hwms = await highWatermarks(brokers, topic);
    await eventually(async () => expect(await committedOffsets(brokers, group, topic)).toEqual(hwms), { timeoutMs: 60_000, intervalMs: 100 });
    second.child.kill('SIGTERM');
    await second.exited();
    expect(timeline.filter((e) => e.event === 'error')).toEqual([]);

    // The local store itself (not the table topic) holds at least every emitted click per key.
    const open = rocksDbStorageFactory({ path: storage, logger: silentLogger });
    const counts = new Map<string, number>();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const store = await open(tableName(group), partition);
      expect(await store.getOffset(), `partition ${partition} has a stored table offset`).toBeGreaterThanOrEqual(0);
      for await (const [key, value] of store.iterator()) counts.set(key, codecs.int64.decode(value));
      await store.close();
    }
    expect(clicks.emitted.size).toBe(KEYS);
    for (const [key, count] of clicks.emitted) expect(counts.get(key), key).toBeGreaterThanOrEqual(count);
  });
});
