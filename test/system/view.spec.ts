import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecs, Emitter, silentLogger, TopicNotFoundError, View } from '@goka/core';
import type { KafkaAdmin } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { eventually } from '../support/eventually.js';

/** Table records the view read from Kafka in its current run, over all partitions. */
const recordsRead = (view: View<number>): number => view.stats().partitions.reduce((sum, p) => sum + p.records, 0);

describe('View on a real broker with RocksDB storage', () => {
  let adapter: KafkajsAdapter;
  let admin: KafkaAdmin;
  const dirs: string[] = [];

  const storageDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'goka-view-'));
    dirs.push(dir);
    return dir;
  };

  const createTable = async (topic: string, partitions: number, config: Record<string, string> = {}) => {
    await admin.createTopic({ topic, partitions, replicationFactor: 1, config: { 'cleanup.policy': 'compact', ...config } });
  };

  const emitAll = async (topic: string, entries: ReadonlyArray<readonly [string, number | null]>) => {
    const emitter = new Emitter(topic, codecs.int64, { kafka: adapter });
    await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
    await emitter.finish();
  };

  beforeAll(async () => {
    adapter = new KafkajsAdapter({ brokers: systemBrokers(), logger: silentLogger });
    admin = adapter.createAdmin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('serves what an emitter wrote, follows new writes and applies tombstones', async () => {
    const table = uniqueName('view-table');
    await createTable(table, 4);
    await emitAll(table, [
      ['alice', 1],
      ['bob', 2],
      ['carol', 3],
    ]);
    const view = new View(table, codecs.int64, { kafka: adapter, storage: rocksDbStorageFactory({ path: await storageDir() }) });
    const running = view.run();
    await view.waitRunning();
    expect([await view.get('alice'), await view.get('bob'), await view.get('carol')]).toEqual([1, 2, 3]);
    expect(await view.get('nobody')).toBeUndefined();

    await emitAll(table, [
      ['alice', 10],
      ['bob', null],
    ]);
    await eventually(async () => expect(await view.get('alice')).toBe(10));
    await eventually(async () => expect(await view.has('bob')).toBe(false));
    const keys: string[] = [];
    for await (const [key] of view.iterator()) keys.push(key);
    expect(keys).toEqual(['alice', 'carol']);
    await view.stop();
    await running;
  });

  it('resumes from the offset stored in RocksDB after a restart, reading only new records', async () => {
    const table = uniqueName('view-resume');
    await createTable(table, 2);
    const entries = Array.from({ length: 1000 }, (_, i) => [`key-${i}`, i] as const);
    await emitAll(table, entries);
    const path = await storageDir();

    const first = new View(table, codecs.int64, { kafka: adapter, storage: rocksDbStorageFactory({ path }) });
    const firstRun = first.run();
    await first.waitRunning();
    expect(recordsRead(first)).toBe(1000);
    await first.stop();
    await firstRun;

    await emitAll(table, [
      ['key-1', -1],
      ['new-key', 7],
    ]);
    const second = new View(table, codecs.int64, { kafka: adapter, storage: rocksDbStorageFactory({ path }) });
    const secondRun = second.run();
    await second.waitRunning();
    expect(recordsRead(second)).toBe(2);
    expect([await second.get('key-1'), await second.get('new-key'), await second.get('key-999')]).toEqual([-1, 7, 999]);
    await second.stop();
    await secondRun;
  });

  it('recovers a compacted table: the newest value of each key, fewer records than were written', async () => {
    const table = uniqueName('view-compacted');
    await createTable(table, 1, {
      'segment.ms': '100',
      'min.cleanable.dirty.ratio': '0.01',
      'delete.retention.ms': '100',
      'min.compaction.lag.ms': '0',
    });
    await emitAll(
      table,
      Array.from({ length: 200 }, (_, i) => [`k${i % 5}`, i] as const),
    );
    // The cleaner only compacts closed segments: keep appending a filler record (each append after
    // segment.ms rolls the segment) until the broker has compacted the duplicates away.
    const reader = adapter.createReader();
    await eventually(
      async () => {
        await emitAll(table, [['filler', 0]]);
        const controller = new AbortController();
        let count = 0;
        for await (const batch of reader.read(table, 0, 0, controller.signal)) {
          count += batch.messages.filter((m) => m.key?.toString() !== 'filler').length;
          if (batch.nextOffset >= batch.highWatermark) controller.abort();
        }
        expect(count).toBeLessThan(200);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await reader.disconnect();

    const view = new View(table, codecs.int64, { kafka: adapter, storage: rocksDbStorageFactory({ path: await storageDir() }) });
    const running = view.run();
    await view.waitRunning();
    expect(recordsRead(view)).toBeLessThan(200);
    expect(await Promise.all(['k0', 'k1', 'k2', 'k3', 'k4'].map((key) => view.get(key)))).toEqual([195, 196, 197, 198, 199]);
    await view.stop();
    await running;
  });

  it('rejects run with a typed error naming a missing table topic', async () => {
    const table = uniqueName('view-missing');
    const view = new View(table, codecs.int64, { kafka: adapter });
    await expect(view.run()).rejects.toThrow(TopicNotFoundError);
    await expect(view.run()).rejects.toThrow(table);
  });
});
