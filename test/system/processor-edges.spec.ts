import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  codecs,
  defineGroup,
  input,
  inputs,
  join,
  lookup,
  loop,
  output,
  partitionFor,
  persist,
  Processor,
  ProcessorError,
  silentLogger,
  View,
  VisitAbortedError,
  visitor,
} from '@goka/core';
import type { Codec, ProcessContext } from '@goka/core';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import {
  adapterFor,
  committedOffsets,
  createTopics,
  deferred,
  emitAll,
  FAST,
  keyed,
  start,
  startReady,
  stopClean,
  TempDirs,
} from './processor-harness.js';

/** Runs a view of `table` until it holds what `check` expects, then stops it. */
async function viewUntil<T>(kafka: KafkajsAdapter, table: string, codec: Codec<T>, check: (view: View<T>) => Promise<void>): Promise<void> {
  const view = new View(table, codec, { kafka, logger: silentLogger });
  const viewing = view.run();
  try {
    await view.waitRunning();
    await eventually(() => check(view));
  } finally {
    await view.stop();
    await viewing;
  }
}

/**
 * Goka's systemtests on the edges of a group graph, on the shared broker (memory storage: nothing here
 * depends on what survives a restart): several input topics into one key (multitopic_test, #332), a
 * loopback chain of two processors, a join, a lookup, the visitor (processor_visit_test), and stats.
 */
describe('Processor edges on a real broker', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  const dirs = new TempDirs();

  afterAll(() => dirs.cleanup());

  it('several input topics (inputs) accumulate into one key; the processor and a view reach the sum', async () => {
    const group = uniqueName('proc-multi');
    const topics = Array.from({ length: 5 }, (_, i) => uniqueName(`proc-multi-in${i}`));
    await createTopics(
      brokers,
      topics.map((topic) => ({ topic, partitions: 2 })),
    );
    const graph = defineGroup<ProcessContext<number>>(
      group,
      inputs(topics, codecs.int64, (ctx: ProcessContext<number>, value: number) => {
        ctx.setValue((ctx.value() ?? 0) + value);
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka, ...FAST });
    const running = await startReady(processor);
    await Promise.all(topics.map((topic) => emitAll(kafka, topic, codecs.int64, keyed(10, 1, (i) => i + 1).map(([, v]) => ['sum', v] as const))));
    const expected = 5 * 55;
    await eventually(async () => expect(await processor.get('sum')).toBe(expected));
    await viewUntil(kafka, `${group}-table`, codecs.int64, async (view) => expect(await view.get('sum')).toBe(expected));
    const stats = await processor.stats();
    const consumed = stats.partitions.flatMap((p) => topics.map((topic) => p.input[topic]?.count ?? 0));
    expect(consumed.reduce((sum, n) => sum + n, 0)).toBe(50);
    await stopClean(processor, running);
  });

  it('loopback chain: input → loop → output → a second processor’s table', async () => {
    const first = uniqueName('proc-chain1');
    const second = uniqueName('proc-chain2');
    const topic = uniqueName('proc-chain-in');
    const out = uniqueName('proc-chain-out');
    await createTopics(brokers, [
      { topic, partitions: 3 },
      { topic: out, partitions: 3 },
    ]);
    const loopPartitions: Array<[string, number]> = [];
    const proc1 = new Processor(
      defineGroup<ProcessContext<unknown>>(
        first,
        input(topic, codecs.string, (ctx: ProcessContext<unknown>, message: string) => ctx.loopback(ctx.key, `loop: ${message}`)),
        loop(codecs.string, (ctx: ProcessContext<unknown>, message: string) => {
          loopPartitions.push([ctx.key, ctx.partition]);
          ctx.emit(out, ctx.key, `proc1-out: ${message}`);
        }),
        output(out, codecs.string),
      ),
      { kafka, ...FAST },
    );
    const proc2 = new Processor(
      defineGroup<ProcessContext<string>>(
        second,
        input(out, codecs.string, (ctx: ProcessContext<string>, message: string) => ctx.setValue(`persist: ${message}`)),
        persist(codecs.string),
      ),
      { kafka, ...FAST },
    );
    const [run1, run2] = await Promise.all([startReady(proc1), startReady(proc2)]);
    const keys = ['alice', 'bob', 'carol', 'dave'];
    await emitAll(kafka, topic, codecs.string, keys.map((key) => [key, 'hello world'] as const));
    await eventually(async () => {
      for (const key of keys) expect(await proc2.get(key)).toBe('persist: proc1-out: loop: hello world');
    });
    // The loop topic is partitioned like the group: each key loops back to its own partition.
    expect(loopPartitions.sort()).toEqual(keys.map((key) => [key, partitionFor(key, 3)]).sort());
    await Promise.all([stopClean(proc1, run1), stopClean(proc2, run2)]);
  });

  it('join: callbacks read the copartitioned table, recovered before processing and updated while running', async () => {
    const group = uniqueName('proc-join');
    const topic = uniqueName('proc-join-in');
    const profiles = uniqueName('proc-join-profiles');
    await createTopics(brokers, [
      { topic, partitions: 4 },
      { topic: profiles, partitions: 4, compact: true },
    ]);
    await emitAll(kafka, profiles, codecs.string, keyed(8, 8, (i) => `profile-${i}`));
    const graph = defineGroup<ProcessContext<string>>(
      group,
      input(topic, codecs.string, (ctx: ProcessContext<string>, message: string) => {
        ctx.setValue(`${message} by ${ctx.join<string>(profiles) ?? 'nobody'}`);
      }),
      join(profiles, codecs.string),
      persist(codecs.string),
    );
    const processor = new Processor(graph, { kafka, ...FAST });
    const running = await startReady(processor);
    await emitAll(kafka, topic, codecs.string, keyed(8, 8, () => 'click'));
    await eventually(async () => {
      for (let i = 0; i < 8; i++) expect(await processor.get(`key-${i}`)).toBe(`click by profile-${i}`);
    });
    // A join update reaches the running partitions (eventually consistent, as in Goka): probe until seen.
    await emitAll(kafka, profiles, codecs.string, [['key-3', 'renamed']]);
    let probe = 0;
    await eventually(
      async () => {
        probe += 1;
        await emitAll(kafka, topic, codecs.string, [['key-3', `click ${probe}`]]);
        await eventually(async () => expect(await processor.get('key-3')).toMatch(new RegExp(`^click ${probe} by `)));
        expect(await processor.get('key-3')).toBe(`click ${probe} by renamed`);
      },
      { intervalMs: 100 },
    );
    await stopClean(processor, running);
  });

  it('lookup: callbacks read any key of a table with another partition count, through a view started first', async () => {
    const group = uniqueName('proc-lookup');
    const topic = uniqueName('proc-lookup-in');
    const users = uniqueName('proc-lookup-users');
    await createTopics(brokers, [
      { topic, partitions: 2 },
      { topic: users, partitions: 3, compact: true },
    ]);
    await emitAll(
      kafka,
      users,
      codecs.string,
      Array.from({ length: 6 }, (_, i) => [`user-${i}`, `name-${i}`] as const),
    );
    const graph = defineGroup<ProcessContext<string>>(
      group,
      input(topic, codecs.string, async (ctx: ProcessContext<string>, user: string) => {
        ctx.setValue((await ctx.lookup<string>(users, user)) ?? 'unknown');
      }),
      lookup(users, codecs.string),
      persist(codecs.string),
    );
    const processor = new Processor(graph, { kafka, ...FAST });
    const running = await startReady(processor);
    expect(Object.keys((await processor.stats()).lookups)).toEqual([users]);
    await emitAll(
      kafka,
      topic,
      codecs.string,
      Array.from({ length: 6 }, (_, i) => [`order-${i}`, `user-${5 - i}`] as const),
    );
    await emitAll(kafka, topic, codecs.string, [['order-x', 'user-x']]);
    await eventually(async () => {
      for (let i = 0; i < 6; i++) expect(await processor.get(`order-${i}`)).toBe(`name-${5 - i}`);
      expect(await processor.get('order-x')).toBe('unknown');
    });
    await stopClean(processor, running);
  });

  it('visitor: visitAll visits every key with its side effects; stop aborts a visit with VisitAbortedError', async () => {
    const group = uniqueName('proc-visit');
    const topic = uniqueName('proc-visit-in');
    const out = uniqueName('proc-visit-out');
    const KEYS = 200;
    await createTopics(brokers, [
      { topic, partitions: 4 },
      { topic: out, partitions: 4 },
    ]);
    let slowVisits = 0;
    const twentyVisited = deferred();
    const graph = defineGroup<ProcessContext<number>>(
      group,
      input(topic, codecs.int64, (ctx: ProcessContext<number>, value: number) => ctx.setValue((ctx.value() ?? 0) + value)),
      visitor('reset', (ctx: ProcessContext<number>, meta: number) => {
        ctx.setValue(meta);
        ctx.emit(out, ctx.key, meta);
      }),
      visitor('slow', async () => {
        await nextTurn();
        slowVisits += 1;
        if (slowVisits === 20) twentyVisited.resolve();
      }),
      output(out, codecs.int64),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka, ...FAST });
    const running = await startReady(processor);
    await emitAll(kafka, topic, codecs.int64, keyed(KEYS, KEYS, () => 1));
    await eventually(async () => expect((await processor.stats()).partitions.reduce((n, p) => n + (p.input[topic]?.count ?? 0), 0)).toBe(KEYS));

    await expect(processor.visitAll('nope', 0)).rejects.toBeInstanceOf(ProcessorError);
    expect(await processor.visitAll('reset', 42)).toBe(KEYS);
    for (let i = 0; i < KEYS; i += 37) expect(await processor.get(`key-${i}`)).toBe(42);
    // The visit's writes were acknowledged: Kafka has them (table and output).
    await viewUntil(kafka, `${group}-table`, codecs.int64, async (view) => {
      for (let i = 0; i < KEYS; i++) expect(await view.get(`key-${i}`)).toBe(42);
    });
    const outputs = await processor.stats();
    expect(outputs.partitions.reduce((n, p) => n + (p.output[out]?.count ?? 0), 0)).toBe(KEYS);

    const visiting = processor.visitAll('slow', undefined);
    const aborted = visiting.then(
      () => new Error('visitAll resolved although the processor stopped'),
      (error: unknown) => error,
    );
    await twentyVisited.promise;
    await processor.stop();
    const error = await aborted;
    expect(error).toBeInstanceOf(VisitAbortedError);
    expect((error as VisitAbortedError).visited).toBeGreaterThanOrEqual(20);
    expect((error as VisitAbortedError).visited).toBeLessThan(KEYS);
    expect((error as VisitAbortedError).message).toContain(group);
    await running.outcome.done;
    expect(running.outcome.settled).toBe('resolved');
  });

  it('stats: per partition the last consumed offset, the high-water mark, the lag, the commit and the counts', async () => {
    const group = uniqueName('proc-stats');
    const topic = uniqueName('proc-stats-in');
    const out = uniqueName('proc-stats-out');
    await createTopics(brokers, [
      { topic, partitions: 1 },
      { topic: out, partitions: 1 },
    ]);
    const gate = deferred();
    const entered = deferred();
    const graph = defineGroup<ProcessContext<number>>(
      group,
      input(topic, codecs.string, async (ctx: ProcessContext<number>, message: string) => {
        if (ctx.offset === 0) {
          entered.resolve();
          await gate.promise;
        }
        ctx.setValue((ctx.value() ?? 0) + 1);
        ctx.emit(out, ctx.key, message);
      }),
      output(out, codecs.string),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka, storage: await dirs.rocksDb('stats'), ...FAST });
    const running = start(processor);
    await processor.waitForReady();
    await emitAll(kafka, topic, codecs.string, keyed(10, 3, (i) => `m${i}`));
    await entered.promise;
    const busy = await processor.stats();
    expect(busy.state).toBe('running');
    expect(busy.partitions).toEqual([
      expect.objectContaining({
        partition: 0,
        mode: 'active',
        state: 'running',
        input: { [topic]: expect.objectContaining({ count: 1, lastOffset: 0, hwm: 10, lag: 9, committed: undefined }) },
        output: {},
      }),
    ]);
    expect(busy.partitions[0]?.recovery).toMatchObject({ hwm: 0 });

    gate.resolve();
    await eventually(async () => {
      const stats = await processor.stats();
      expect(stats.partitions[0]?.input[topic]).toEqual({ count: 10, bytes: 20, lastOffset: 9, committed: 10, hwm: 10, lag: 0 });
      expect(stats.partitions[0]?.output).toEqual({ [out]: { count: 10, bytes: 20 }, [`${group}-table`]: { count: 10, bytes: 10 } });
    });
    expect(await committedOffsets(brokers, group, topic)).toEqual(new Map([[0, 10]]));
    await stopClean(processor, running);
  });
});
