import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import { ViewError } from '../errors/table-error.js';
import { TopicPartitionGapError } from '../errors/topic-error.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { TABLE, captureLogger, fixture, persistentStorage } from '../test-support/view-fixture.js';
import { silentLogger } from '../util/logger.js';
import { View } from './view.js';
import { resolveViewOptions } from './view-options.js';

describe('View lifecycle', () => {
  it('goes idle → initializing → connecting → catching-up → running, and idle after stop; storages closed', async () => {
    const f = fixture(4);
    f.emit(Array.from({ length: 200 }, (_, i) => [`k${i}`, `v${i}`] as const));
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const states: string[] = [view.state];
    view.onStateChange((state, previous) => states.push(`${previous}->${state}`));
    const running = view.run();
    expect(view.state).toBe('initializing');
    await view.waitRunning();
    expect(view.recovered()).toBe(true);
    expect(view.state).toBe('running');
    await view.waitRunning(); // resolves at once when running
    await view.stop();
    await running;
    expect(states).toEqual([
      'idle',
      'idle->initializing',
      'initializing->connecting',
      'connecting->catching-up',
      'catching-up->running',
      'running->idle',
    ]);
    expect(view.recovered()).toBe(false);
    expect(storage.closes()).toBe(4);
    expect(f.kafka.clientIds).toEqual([`goka-view-${TABLE}`]);
  });

  it('catches up new records after running', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const running = view.run();
    await view.waitRunning();
    f.emit([['a', '2'], ['b', '1']]);
    for (const key of ['a', 'b']) {
      const partition = partitionFor(key, 2);
      await storage.store(partition).waitForOffset(f.memory.offsets(TABLE, partition).hwm - 1);
    }
    expect(await view.get('a')).toBe('2');
    expect(await view.get('b')).toBe('1');
    expect(view.state).toBe('running');
    await view.stop();
    await running;
  });

  it('is restartable: a second run resumes from the persisted offsets and reads only new records', async () => {
    const f = fixture(2);
    f.emit(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`] as const));
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const first = view.run();
    await view.waitRunning();
    await view.stop();
    await first;
    expect(f.kafka.records).toBe(50);

    f.emit([['k1', 'new'], ['fresh', 'x']]);
    f.kafka.records = 0;
    const second = view.run();
    await view.waitRunning();
    expect(f.kafka.records).toBe(2);
    expect(await view.get('k1')).toBe('new');
    expect(await view.get('fresh')).toBe('x');
    expect(await view.get('k2')).toBe('v2');
    await view.stop();
    await second;
  });

  it('rejects a second concurrent run', async () => {
    const f = fixture(1);
    const view = f.view();
    const running = view.run();
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewError);
    expect((error as Error).message).toContain('is already running');
    await view.stop();
    await running;
  });

  it('settles when the signal aborts, also when aborted before run', async () => {
    const f = fixture(1);
    const view = f.view();
    await view.run(AbortSignal.abort());
    expect(view.state).toBe('idle');
    const controller = new AbortController();
    const running = view.run(controller.signal);
    await view.waitRunning();
    controller.abort();
    await running;
    expect(view.state).toBe('idle');
  });

  it('waitRunning waits for a later run, rejects when the run fails or stops first, and on abort', async () => {
    const f = fixture(1);
    const view = f.view();
    const waiting = view.waitRunning();
    const running = view.run();
    await waiting;
    await view.stop();
    await running;

    const missing = new View('nope', codecs.string, { kafka: f.kafka, logger: silentLogger });
    const waitMissing = missing.waitRunning();
    await expect(missing.run()).rejects.toBeInstanceOf(TopicNotFoundError);
    await expect(waitMissing).rejects.toBeInstanceOf(TopicNotFoundError);

    const stopped = f.view();
    const waitStopped = stopped.waitRunning();
    const run = stopped.run(AbortSignal.abort());
    await expect(waitStopped).rejects.toThrow(/stopped before it was running/);
    await run;

    const controller = new AbortController();
    const aborted = view.waitRunning(controller.signal);
    controller.abort(new Error('no longer needed'));
    await expect(aborted).rejects.toThrow('no longer needed');
  });

  it('a missing topic is a typed error naming it', async () => {
    const f = fixture(1);
    const view = new View('does-not-exist', codecs.string, { kafka: f.kafka, logger: silentLogger });
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TopicNotFoundError);
    expect(error).toMatchObject({ topic: 'does-not-exist' });
    expect((error as Error).message).toContain('"does-not-exist"');
    expect(view.state).toBe('idle');
  });

  it('partitions that are not 0..n-1 are a typed error', async () => {
    const f = fixture(3);
    f.kafka.partitionsOverride = [0, 2];
    await expect(f.view().run()).rejects.toBeInstanceOf(TopicPartitionGapError);
  });

  it('stats report state and every partition', async () => {
    const f = fixture(2);
    f.emit([['a', '1'], ['b', '22']]);
    const view = f.view();
    const running = view.run();
    await view.waitRunning();
    const stats = view.stats();
    expect(stats.table).toBe(TABLE);
    expect(stats.state).toBe('running');
    expect(stats.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(stats.partitions.reduce((sum, p) => sum + p.records, 0)).toBe(2);
    expect(stats.partitions.every((p) => p.state === 'running' && p.recovery.endTime !== undefined)).toBe(true);
    await view.stop();
    await running;
  });

  it('a throwing state listener is logged and does not disturb the view', async () => {
    const f = fixture(1);
    const { logger, lines } = captureLogger();
    const view = f.view({ logger });
    view.onStateChange(() => {
      throw new Error('listener bug');
    });
    const running = view.run();
    await view.waitRunning();
    await view.stop();
    await running;
    expect(lines.some((line) => line.startsWith(`error [View ${TABLE}] state change listener failed`))).toBe(true);
  });

  it('defers the adapter for brokers to its run (kafka wins when both are given)', () => {
    const resolved = resolveViewOptions(TABLE, codecs.string, { brokers: ['127.0.0.1:9092'], logger: silentLogger });
    // The default adapter (KafkajsAdapter of @goka/kafkajs) is created when the view runs: its own
    // spec there checks what brokers turn into.
    expect(typeof resolved.kafka).toBe('function');
    const memory = new MemoryKafka();
    expect(resolveViewOptions(TABLE, codecs.string, { kafka: memory, brokers: ['127.0.0.1:9092'] }).kafka).toBe(memory);
    expect(resolved).toMatchObject({ clientId: `goka-view-${TABLE}`, autoReconnect: false, updateCallback: undefined });
    expect(resolved.backoff).toEqual({ step: 10_000, max: 120_000, resetAfter: 60_000 });
  });

  it('rejects unusable options with a ViewError naming the table', () => {
    const kafka = new MemoryKafka();
    expect(() => new View('', codecs.string, { kafka })).toThrow(ViewError);
    expect(() => new View(TABLE, {} as never, { kafka })).toThrow(/codec must be a codec with decode\(\)/);
    expect(() => new View(TABLE, codecs.string, { kafka: {} as never })).toThrow(/kafka must be a Kafka adapter/);
    expect(() => new View(TABLE, codecs.string, {})).toThrow(/View "users-table" needs `brokers`/);
    expect(() => new View(TABLE, codecs.string, { kafka, autoReconnect: 'yes' as never })).toThrow(/autoReconnect must be a boolean/);
    expect(() => new View(TABLE, codecs.string, { kafka, backoff: { step: -1 } })).toThrow(
      /view of table "users-table": backoff.step must be a non-negative finite number of milliseconds, got -1/,
    );
  });
});
