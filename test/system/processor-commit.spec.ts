import { codecs, defineGroup, input, partitionFor, persist, Processor, ProcessingError } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import {
  adapterFor,
  committedOffsets,
  createTopics,
  emitAll,
  FAST,
  highWatermarks,
  keyed,
  start,
  startReady,
  stopClean,
  TempDirs,
} from './processor-harness.js';

type Ctx = ProcessContext<number>;

/**
 * Goka's systemtests on the commit rule, on the shared broker with RocksDB storage:
 * TestMessageCommit (processed messages are committed; restarting never reprocesses them),
 * TestCallbackFail (an emit to an undeclared topic kills the processor with a typed error) and
 * TestUnmarkedMessages (the next run reprocesses from the failed message, not before it).
 */
describe('Processor commits on a real broker', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  const dirs = new TempDirs();

  afterAll(() => dirs.cleanup());

  it('commits 10 messages (committed offset = next offset) and 3 restarts never reprocess them', async () => {
    const group = uniqueName('proc-commit');
    const topic = uniqueName('proc-commit-in');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    await emitAll(kafka, topic, codecs.string, Array.from({ length: 10 }, () => ['key', 'x'] as const));
    const storage = await dirs.rocksDb('commit');
    const seen: number[] = [];
    const graph = defineGroup<Ctx>(
      group,
      input(topic, codecs.string, (ctx: Ctx) => {
        seen.push(ctx.offset);
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );

    const first = new Processor(graph, { kafka, storage, ...FAST });
    const running = await startReady(first);
    await eventually(async () => expect(await first.get('key')).toBe(10));
    await stopClean(first, running);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await committedOffsets(brokers, group, topic)).toEqual(new Map([[0, 10]]));

    for (let restart = 1; restart <= 3; restart++) {
      seen.length = 0;
      const processor = new Processor(graph, { kafka, storage, ...FAST });
      const again = await startReady(processor);
      expect(await processor.get('key')).toBe(10);
      // A sentinel after the old messages: once it is processed, the reader has passed them.
      await emitAll(kafka, topic, codecs.string, [[`sentinel-${restart}`, 'x']]);
      await eventually(async () => expect(await processor.get(`sentinel-${restart}`)).toBe(1));
      expect(await processor.get('key')).toBe(10);
      expect(seen).toEqual([9 + restart]);
      const stats = await processor.stats();
      expect(stats.partitions).toHaveLength(1);
      expect(stats.partitions[0]?.input[topic]).toMatchObject({ count: 1, lastOffset: 9 + restart });
      await stopClean(processor, again);
      expect(await committedOffsets(brokers, group, topic)).toEqual(new Map([[0, 10 + restart]]));
    }
    // No reprocessing means no second table write either: 10 counts + 3 sentinels.
    expect(await highWatermarks(brokers, `${group}-table`)).toEqual(new Map([[0, 13]]));
  });

  it('an emit to an undeclared topic stops the processor with an error naming the message; the next run starts from it', async () => {
    const group = uniqueName('proc-fail');
    const topic = uniqueName('proc-fail-in');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    await emitAll(kafka, topic, codecs.string, [
      ['k0', 'ok'],
      ['k1', 'boom'],
      ['k2', 'ok'],
    ]);
    const storage = await dirs.rocksDb('fail');
    const seen: number[] = [];
    const graph = (failing: boolean) =>
      defineGroup<Ctx>(
        group,
        input(topic, codecs.string, (ctx: Ctx, message: string) => {
          seen.push(ctx.offset);
          if (failing && message === 'boom') ctx.emit('not-an-output', ctx.key, message);
          ctx.setValue((ctx.value() ?? 0) + 1);
        }),
        persist(codecs.int64),
      );

    const failing = new Processor(graph(true), { kafka, storage, ...FAST });
    const running = start(failing);
    await running.outcome.done;
    expect(running.outcome.settled).toBe('rejected');
    const error = running.outcome.error;
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ group, topic, partition: 0, offset: 1, key: 'k1', async: false });
    const message = (error as Error).message;
    for (const part of [group, topic, 'partition 0', 'offset 1', 'k1', 'not-an-output']) expect(message).toContain(part);
    expect(failing.state).toBe('stopped');
    expect(seen).toEqual([0, 1]);
    // Offset 0 completed and was committed; nothing from the failed message on.
    expect(await committedOffsets(brokers, group, topic)).toEqual(new Map([[0, 1]]));

    seen.length = 0;
    const fixed = new Processor(graph(false), { kafka, storage, ...FAST });
    const again = await startReady(fixed);
    await eventually(async () => expect(await fixed.get('k2')).toBe(1));
    expect(seen).toEqual([1, 2]);
    expect(await fixed.get('k0')).toBe(1);
    expect(await fixed.get('k1')).toBe(1);
    await stopClean(fixed, again);
    expect(await committedOffsets(brokers, group, topic)).toEqual(new Map([[0, 3]]));
  });

  it('a callback that throws under load stops the processor; its partition commits up to the failed message, and the next run starts there', async () => {
    const PARTITIONS = 4;
    const group = uniqueName('proc-throw');
    const topic = uniqueName('proc-throw-in');
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    await emitAll(kafka, topic, codecs.string, [
      ...keyed(400, 40, () => 'ok'),
      ['key-7', 'boom'],
      ...keyed(400, 40, () => 'ok'),
    ]);
    const failed = partitionFor('key-7', PARTITIONS);
    const storage = await dirs.rocksDb('throw');
    const seen = new Map<number, number[]>();
    const graph = (failing: boolean) =>
      defineGroup<Ctx>(
        group,
        input(topic, codecs.string, (ctx: Ctx, message: string) => {
          seen.set(ctx.partition, [...(seen.get(ctx.partition) ?? []), ctx.offset]);
          if (failing && message === 'boom') throw new Error('boom in the callback');
          ctx.setValue((ctx.value() ?? 0) + 1);
        }),
        persist(codecs.int64),
      );

    const running = start(new Processor(graph(true), { kafka, storage, ...FAST }));
    await running.outcome.done;
    expect(running.outcome.settled).toBe('rejected');
    const error = running.outcome.error as ProcessingError;
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ group, topic, partition: failed, key: 'key-7', async: false });
    expect(error.message).toContain('boom in the callback');
    const committed = await committedOffsets(brokers, group, topic);
    expect(committed.get(failed)).toBe(error.offset);

    seen.clear();
    const fixed = new Processor(graph(false), { kafka, storage, ...FAST });
    const again = await startReady(fixed);
    const end = await highWatermarks(brokers, topic);
    await eventually(async () => expect(await committedOffsets(brokers, group, topic)).toEqual(end));
    expect(seen.get(failed)?.[0]).toBe(error.offset);
    for (const [partition, offsets] of seen) expect(offsets[0], `partition ${partition}`).toBe(committed.get(partition) ?? 0);
    await stopClean(fixed, again);
  });
});
