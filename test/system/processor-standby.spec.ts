import { codecs, defineGroup, input, join, persist, Processor } from '@goka/core';
import type { Assignment, ProcessContext, ProcessorStats } from '@goka/core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, createTopics, emitAll, FAST, observedStorage, startReady, stopClean, TempDirs } from './processor-harness.js';
import type { Running, StorageEvent } from './processor-harness.js';

type Ctx = ProcessContext<string>;

/** `active:<partitions>` and `standby:<partitions>` of an instance's stats, for compact assertions. */
function holding(stats: ProcessorStats): { active: number[]; standby: number[]; running: boolean } {
  return {
    active: stats.partitions.filter((p) => p.mode === 'active').map((p) => p.partition),
    standby: stats.partitions.filter((p) => p.mode === 'standby').map((p) => p.partition),
    running: stats.partitions.every((p) => p.state === 'running'),
  };
}

/**
 * Goka's systemtests TestHotStandby, TestRebalanceSharePartitions (the 2-partition case) and
 * TestRecoverAhead, on the shared broker with RocksDB storage (one directory per instance).
 */
describe('Processor hot standby and recover-ahead on a real broker', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  const dirs = new TempDirs();

  afterAll(() => dirs.cleanup());

  it('hot standby: each of two instances holds its active partition and a standby of the other; get serves both keys on both', async () => {
    const group = uniqueName('proc-standby');
    const topic = uniqueName('proc-standby-in');
    const joined = uniqueName('proc-standby-join');
    await createTopics(brokers, [
      { topic, partitions: 2 },
      { topic: joined, partitions: 2, compact: true },
    ]);
    // key1 is in partition 1, key2 in partition 0 (Goka's FNV-1a over 2 partitions).
    await emitAll(kafka, joined, codecs.string, [
      ['key1', 'join1'],
      ['key2', 'join2'],
    ]);
    const graph = defineGroup<Ctx>(
      group,
      input(topic, codecs.string, (ctx: Ctx, message: string) => {
        ctx.setValue(`${message}+${ctx.join<string>(joined) ?? 'none'}`);
      }),
      join(joined, codecs.string),
      persist(codecs.string),
    );
    const instance = async (name: string): Promise<{ processor: Processor<string>; running: Running }> => {
      const processor = new Processor(graph, { kafka, storage: await dirs.rocksDb(name), ...FAST, hotStandby: true, clientId: name });
      return { processor, running: await startReady(processor) };
    };
    const a = await instance('standby-a');
    expect(holding(await a.processor.stats())).toEqual({ active: [0, 1], standby: [], running: true });
    const b = await instance('standby-b');
    await eventually(async () => {
      const [first, second] = [holding(await a.processor.stats()), holding(await b.processor.stats())];
      expect(first.running && second.running).toBe(true);
      expect(first.active).toHaveLength(1);
      expect(second.active).toHaveLength(1);
      expect([...first.active, ...second.active].sort()).toEqual([0, 1]);
      expect(first.standby).toEqual(second.active);
      expect(second.standby).toEqual(first.active);
    });

    await emitAll(kafka, topic, codecs.string, [
      ['key1', 'v1'],
      ['key2', 'v2'],
    ]);
    // The active instance processed each key; the other one got it through its standby table.
    await eventually(async () => {
      for (const { processor } of [a, b]) {
        expect(await processor.get('key1')).toBe('v1+join1');
        expect(await processor.get('key2')).toBe('v2+join2');
      }
    });

    // One leaves: the other takes both partitions over from its warm standby store.
    await stopClean(b.processor, b.running);
    await eventually(async () => expect(holding(await a.processor.stats())).toEqual({ active: [0, 1], standby: [], running: true }));
    expect(await a.processor.get('key1')).toBe('v1+join1');
    expect(await a.processor.get('key2')).toBe('v2+join2');
    expect(a.running.outcome.settled).toBe('pending');
    await stopClean(a.processor, a.running);
  });

  it('recover-ahead: both instances recover the table and the join before they join the group', async () => {
    const group = uniqueName('proc-ahead');
    const topic = uniqueName('proc-ahead-in');
    const table = `${group}-table`;
    const joined = uniqueName('proc-ahead-join');
    await createTopics(brokers, [
      { topic, partitions: 1 },
      { topic: table, partitions: 1, compact: true },
      { topic: joined, partitions: 1, compact: true },
    ]);
    // As if a processor had written them (ctx.setValue) before.
    await emitAll(kafka, table, codecs.string, [['value-from-table', 'value']]);
    await emitAll(kafka, joined, codecs.string, [['value-from-join', 'value']]);
    const graph = defineGroup<Ctx>(
      group,
      input(topic, codecs.string, () => {}),
      join(joined, codecs.string),
      persist(codecs.string),
    );
    const instance = async (name: string) => {
      const events: StorageEvent[] = [];
      const assigned: Array<{ readonly at: number; readonly assignment: Assignment }> = [];
      const processor = new Processor(graph, {
        kafka,
        storage: observedStorage(await dirs.rocksDb(name), events),
        ...FAST,
        recoverAhead: true,
        hotStandby: true,
        clientId: name,
        rebalanceCallback: (assignment) => assigned.push({ at: performance.now(), assignment }),
      });
      return { processor, events, assigned, running: await startReady(processor) };
    };
    const first = await instance('ahead-a');
    const second = await instance('ahead-b');
    await eventually(() => expect(first.assigned.length).toBeGreaterThanOrEqual(2));

    for (const { events, assigned } of [first, second]) {
      const joinedAt = assigned[0]?.at ?? Number.POSITIVE_INFINITY;
      const recoveredBefore = events.filter((e) => e.kind === 'recovered' && e.at < joinedAt).map((e) => e.topic);
      expect(recoveredBefore.sort()).toEqual([joined, table].sort());
    }
    // The instance without an assignment serves the table from its (warm) standby store, once that
    // store is open again after the rebalance.
    await eventually(async () => {
      const holders = await Promise.all([first, second].map(async ({ processor }) => holding(await processor.stats())));
      expect(holders.map((h) => h.active.length).sort()).toEqual([0, 1]);
      expect(holders.map((h) => h.standby.length).sort()).toEqual([0, 1]);
      for (const { processor } of [first, second]) expect(await processor.get('value-from-table')).toBe('value');
    });

    await stopClean(second.processor, second.running);
    await stopClean(first.processor, first.running);
  });
});
