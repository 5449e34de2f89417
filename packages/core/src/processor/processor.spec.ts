import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { ProcessingError, ProcessorError, VisitAbortedError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, join, lookup, loop, output, persist, visitor } from '../graph/edges.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageFactory } from '../storage/storage.js';
import { silentLogger } from '../util/logger.js';
import { Processor } from './processor.js';
import { appended, counter, emitAll, setup, started } from './processor.spec-support.js';
import type { Ctx } from './processor.spec-support.js';


describe('Processor on MemoryKafka', () => {
  it('counts per key in the group table, writing the table topic and committing after the acks', async () => {
    const kafka = setup();
    const processor = new Processor(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(processor);
    expect(kafka.describeTopic('counter-table')?.partitions).toHaveLength(4);
    const tableWrites = appended(kafka, 'counter-table', 5);
    await emitAll(kafka, 'clicks', [
      ['alice', 'a'],
      ['bob', 'b'],
      ['alice', 'c'],
      ['alice', 'd'],
      ['bob', 'e'],
    ]);
    const writes = await tableWrites;
    expect(writes.map((w) => [w.key?.toString(), w.value?.toString()])).toEqual(
      expect.arrayContaining([
        ['alice', '3'],
        ['bob', '2'],
      ]),
    );
    expect(await processor.get('alice')).toBe(3);
    expect(await processor.get('bob')).toBe(2);
    expect(await processor.get('carol')).toBeUndefined();
    await processor.stop();
    await running;
    const committed = kafka.group('counter').offsets().get('clicks');
    const total = [...(committed?.values() ?? [])].reduce((a, b) => a + b, 0);
    expect(total).toBe(5);
  });

  it('restarts from its commits and recovers its table without reprocessing', async () => {
    const kafka = setup(2);
    const first = new Processor(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(first);
    const writes = appended(kafka, 'counter-table', 10);
    await emitAll(kafka, 'clicks', Array.from({ length: 10 }, () => ['k', 'x'] as const));
    await writes;
    await first.stop();
    await running;

    const second = new Processor(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running: again } = await started(second);
    expect(await second.get('k')).toBe(10);
    const more = appended(kafka, 'counter-table', 1);
    await emitAll(kafka, 'clicks', [['k', 'y']]);
    await more;
    expect(await second.get('k')).toBe(11);
    await second.stop();
    await again;
  });

  it('emits to outputs, loops back to the key’s partition and joins a copartitioned table', async () => {
    const kafka = setup(3);
    kafka.createTopic('profiles', { partitions: 3 });
    kafka.createTopic('out', { partitions: 5 });
    const profiles = new Emitter('profiles', codecs.string, { kafka });
    await profiles.emit('alice', 'admin');
    await profiles.finish();
    const graph = defineGroup<ProcessContext<unknown>>(
      'chain',
      input('clicks', codecs.string, (ctx: ProcessContext<unknown>, message: string) => {
        ctx.loopback(`loop-${ctx.key}`, `${message}!`);
        ctx.emit('out', ctx.key, `${message} by ${ctx.join<string>('profiles') ?? 'nobody'}`);
      }),
      loop(codecs.string, (ctx: ProcessContext<unknown>, message: string) => {
        ctx.emit('out', ctx.key, `looped ${message} on ${ctx.partition}`);
      }),
      join('profiles', codecs.string),
      output('out', codecs.string),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(processor);
    const outputs = appended(kafka, 'out', 2);
    await emitAll(kafka, 'clicks', [['alice', 'hi']]);
    const records = await outputs;
    const byKey = Object.fromEntries(records.map((r) => [r.key?.toString(), r]));
    expect(byKey['alice']?.value?.toString()).toBe('hi by admin');
    expect(byKey['loop-alice']?.value?.toString()).toMatch(/^looped hi! on \d$/);
    const loopPartition = Number(byKey['loop-alice']?.value?.toString().slice(-1));
    expect(kafka.read('chain-loop', loopPartition).map((r) => r.key?.toString())).toEqual(['loop-alice']);
    await processor.stop();
    await running;
  });

  it('reads lookup tables through a full view of any key', async () => {
    const kafka = setup(2);
    kafka.createTopic('translations', { partitions: 3, config: { 'cleanup.policy': 'compact' } });
    kafka.createTopic('out', { partitions: 1 });
    const words = new Emitter('translations', codecs.string, { kafka });
    await Promise.all([words.emit('hello', 'hallo'), words.emit('world', 'welt')]);
    await words.finish();
    const graph = defineGroup<ProcessContext<unknown>>(
      'translator',
      input('clicks', codecs.string, async (ctx: ProcessContext<unknown>, message: string) => {
        ctx.emit('out', ctx.key, (await ctx.lookup<string>('translations', message)) ?? '?');
      }),
      lookup('translations', codecs.string),
      output('out', codecs.string),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(processor);
    const outputs = appended(kafka, 'out', 2);
    await emitAll(kafka, 'clicks', [
      ['a', 'world'],
      ['b', 'nothing'],
    ]);
    expect((await outputs).map((r) => r.value?.toString()).sort()).toEqual(['?', 'welt']);
    await processor.stop();
    await running;
  });

  it('stops on a failing callback with an error naming group, topic, partition, offset and key; commits only what came before', async () => {
    const kafka = setup(1);
    const graph = defineGroup<Ctx>(
      'fragile',
      input('clicks', codecs.string, (ctx: Ctx, message: string) => {
        if (message === 'boom') throw new Error('cannot count boom');
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const running = processor.run();
    await processor.waitForReady();
    await emitAll(kafka, 'clicks', [
      ['k', 'one'],
      ['k', 'two'],
      ['k', 'boom'],
      ['k', 'three'],
    ]);
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ group: 'fragile', topic: 'clicks', partition: 0, offset: 2, key: 'k' });
    expect(String((error as Error).message)).toMatch(/cannot count boom/);
    expect(kafka.group('fragile').offsets().get('clicks')?.get(0)).toBe(2);
    expect(kafka.read('fragile-table', 0).map((r) => r.value?.toString())).toEqual(['1', '2']);
    expect(processor.state).toBe('stopped');
    expect((await processor.stats()).callbackErrors).toBe(1);
  });

  it('reports misuse of the context as processing errors: undeclared output, state without persist', async () => {
    const kafka = setup(1);
    const undeclared = defineGroup<ProcessContext<unknown>>(
      'misuse-emit',
      input('clicks', codecs.string, (ctx: ProcessContext<unknown>) => ctx.emit('nowhere', ctx.key, 'x')),
    );
    const stateless = defineGroup<ProcessContext<unknown>>(
      'misuse-value',
      input('clicks', codecs.string, (ctx: ProcessContext<unknown>) => {
        ctx.value();
      }),
    );
    const first = new Processor(undeclared, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const second = new Processor(stateless, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const runs = [first.run(), second.run()];
    await emitAll(kafka, 'clicks', [['k', 'v']]);
    await expect(runs[0]).rejects.toThrow(/topic "nowhere" is not configured for output/);
    await expect(runs[1]).rejects.toThrow(/cannot access state in stateless processor/);
  });

  it('fails asynchronously when a produce is not acknowledged, and commits nothing of that message', async () => {
    const kafka = setup(1);
    kafka.createTopic('out', { partitions: 1 });
    const graph = defineGroup<ProcessContext<unknown>>(
      'forwarder',
      input('clicks', codecs.string, (ctx: ProcessContext<unknown>, message: string) => ctx.emit('out', ctx.key, message)),
      output('out', codecs.string),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const running = processor.run();
    await processor.waitForReady();
    kafka.setProduceFault((records) => (records.some((r) => r.topic === 'out') ? new Error('broker down') : undefined));
    await emitAll(kafka, 'clicks', [['k', 'v']]);
    await expect(running).rejects.toThrow(/asynchronous error.*broker down/);
    expect(kafka.group('forwarder').offsets().get('clicks')?.get(0)).toBeUndefined();
  });

  it('skips null input values by default and passes them when asked', async () => {
    const kafka = setup(1);
    const seen: Array<string | null> = [];
    const graph = (group: string) =>
      defineGroup<ProcessContext<unknown>>(
        group,
        input('clicks', codecs.string, (_ctx: ProcessContext<unknown>, message: string | null) => {
          seen.push(`${group}:${message}`);
        }),
      );
    const options = { kafka, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 5 } as const;
    const ignoring = new Processor(graph('ignore'), options);
    const processing = new Processor(graph('process'), { ...options, nilHandling: 'process' });
    const runs = [(await started(ignoring)).running, (await started(processing)).running];
    await emitAll(kafka, 'clicks', [
      ['k', null],
      ['k', 'v'],
    ]);
    await Promise.all([ignoring, processing].map(async (p) => {
      while ((kafka.group(p.group).offsets().get('clicks')?.get(0) ?? 0) < 2) await new Promise((r) => setTimeout(r, 5));
    }));
    expect(seen.sort()).toEqual(['ignore:v', 'process:null', 'process:v']);
    await Promise.all([ignoring.stop(), processing.stop()]);
    await Promise.all(runs);
  });

  it('runs once and refuses a graph that breaks Goka’s rules', async () => {
    const kafka = setup(1);
    const processor = new Processor(counter('once'), { kafka, logger: silentLogger });
    const { running } = await started(processor);
    await expect(processor.run()).rejects.toThrow(ProcessorError);
    await processor.stop();
    await running;
    expect(() => new Processor(defineGroup('empty', persist(codecs.int64)), { kafka })).toThrow(/no input stream/);
  });

  it('shares partitions with a second instance: disjoint, complete, no lost update', async () => {
    const kafka = setup(6);
    const a = new Processor(counter('shared'), { kafka, logger: silentLogger, initialOffset: 'oldest', clientId: 'a' });
    const { running: runA } = await started(a);
    const b = new Processor(counter('shared'), { kafka, logger: silentLogger, initialOffset: 'oldest', clientId: 'b' });
    const runB = b.run();
    await kafka.group('shared').settled();
    await b.waitForReady();
    const assignments = [...kafka.group('shared').assignments().values()].map((x) => [...(x.get('clicks') ?? [])]);
    expect(assignments.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(assignments.every((x) => x.length === 3)).toBe(true);
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    const writes = appended(kafka, 'shared-table', 60);
    await emitAll(kafka, 'clicks', [...keys, ...keys].map((k) => [k, 'x'] as const));
    await writes;
    await b.stop();
    await runB;
    await a.states.waitFor('running');
    for (const key of keys) expect(await a.get(key)).toBe(2);
    await a.stop();
    await runA;
  });

  it('visits keys whose first table write is still being produced when visitAll is called', async () => {
    const kafka = setup(1);
    let processed = 0;
    let allProcessed!: () => void;
    const done = new Promise<void>((resolve) => (allProcessed = resolve));
    // Acknowledged table writes reach the store only once the test opens it.
    let openWrites!: () => void;
    const writesOpen = new Promise<void>((resolve) => (openWrites = resolve));
    const storage: StorageFactory = async (topic, partition) => {
      const inner = new MemoryStorage({ topic, partition });
      return {
        get: (key) => inner.get(key),
        getMany: (keys) => inner.getMany(keys),
        has: (key) => inner.has(key),
        set: (key, value) => inner.set(key, value),
        delete: (key) => inner.delete(key),
        write: async (ops, offset) => {
          await writesOpen;
          await inner.write(ops, offset);
        },
        getOffset: () => inner.getOffset(),
        setOffset: (offset) => inner.setOffset(offset),
        markRecovered: () => inner.markRecovered(),
        iterator: (range) => inner.iterator(range),
        close: () => inner.close(),
      };
    };
    const graph = defineGroup<Ctx>(
      'fresh',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue(1);
        if (++processed === 20) allProcessed();
      }),
      persist(codecs.int64),
      visitor('reset', (ctx: Ctx, meta: number) => ctx.setValue(meta)),
    );
    const processor = new Processor(graph, { kafka, storage, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(processor);
    await emitAll(kafka, 'clicks', Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'] as const));
    await done;
    const visiting = processor.visitAll('reset', 7);
    openWrites();
    expect(await visiting).toBe(20);
    expect(await processor.get('k19')).toBe(7);
    await processor.stop();
    await running;
  });

  it('visits every key of the table between input batches, with side effects acknowledged', async () => {
    const kafka = setup(3);
    let gate: Promise<void> | undefined;
    const graph = defineGroup<Ctx>(
      'visited',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
      visitor('reset', async (ctx: Ctx, meta: number) => {
        if (gate !== undefined) await gate;
        ctx.setValue(meta);
      }),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const { running } = await started(processor);
    const writes = appended(kafka, 'visited-table', 20);
    await emitAll(kafka, 'clicks', Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'] as const));
    await writes;
    expect(await processor.visitAll('reset', 7)).toBe(20);
    expect(await processor.get('k3')).toBe(7);
    await expect(processor.visitAll('unknown', 0)).rejects.toThrow(/unconfigured visit callback "unknown"/);

    // The caller's signal cancels a visit between keys; the processor keeps running.
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    const cancel = new AbortController();
    const cancelled = processor.visitAll('reset', 8, { signal: cancel.signal });
    cancel.abort();
    release();
    await expect(cancelled).rejects.toThrow(VisitAbortedError);
    expect(processor.state).toBe('running');
    // Only the key whose visitor was already running when the signal aborted got the new value.
    const values = await Promise.all(Array.from({ length: 20 }, (_, i) => processor.get(`k${i}`)));
    expect(values.filter((value) => value === 8).length).toBeLessThanOrEqual(1);
    expect(values.filter((value) => value === 7).length).toBeGreaterThanOrEqual(19);

    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const visiting = processor.visitAll('reset', 9);
    const stopping = processor.stop();
    open();
    await expect(visiting).rejects.toThrow(VisitAbortedError);
    await stopping;
    await running;
  });

  it('keeps unassigned table partitions warm with hotStandby, and get serves them', async () => {
    const kafka = setup(4);
    const options = { kafka, logger: silentLogger, initialOffset: 'oldest', hotStandby: true } as const;
    const a = new Processor(counter('standby'), { ...options, clientId: 'a' });
    const { running: runA } = await started(a);
    const b = new Processor(counter('standby'), { ...options, clientId: 'b' });
    const runB = b.run();
    await kafka.group('standby').settled();
    await b.waitForReady();
    await a.waitForReady();
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    const writes = appended(kafka, 'standby-table', keys.length);
    await emitAll(kafka, 'clicks', keys.map((k) => [k, 'x'] as const));
    await writes;
    // every key is readable on both instances: from the active partition or from the standby copy
    for (const key of keys) {
      for (const processor of [a, b]) {
        while ((await processor.get(key)) !== 1) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([runA, runB]);
  });

  it('recovers every table partition before joining the group with recoverAhead', async () => {
    const kafka = setup(3);
    const writer = new Emitter('ahead-table', codecs.int64, { kafka });
    kafka.createTopic('ahead-table', { partitions: 3, config: { 'cleanup.policy': 'compact' } });
    await Promise.all(['x', 'y', 'z'].map((key) => writer.emit(key, 5)));
    await writer.finish();
    const opened: string[] = [];
    const storage = async (topic: string, partition: number) => {
      opened.push(`${topic}/${partition}`);
      return new MemoryStorage({ topic, partition });
    };
    const processor = new Processor(counter('ahead'), { kafka, logger: silentLogger, recoverAhead: true, storage });
    const { running } = await started(processor);
    expect([...kafka.group('ahead').assignments().keys()]).toHaveLength(1);
    expect(opened.sort()).toEqual(['ahead-table/0', 'ahead-table/0', 'ahead-table/1', 'ahead-table/1', 'ahead-table/2', 'ahead-table/2']);
    expect(await processor.get('y')).toBe(5);
    await processor.stop();
    await running;
  });
});
