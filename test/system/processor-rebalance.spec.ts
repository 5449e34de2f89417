import { codecs, defineGroup, Emitter, input, persist, Processor, ProcessorError, silentLogger, View } from '@goka/core';
import type { GroupGraph, ProcessContext, StorageFactory } from '@goka/core';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, committedOffsets, createTopics, FAST, highWatermarks, recordingLogger, startReady, stopClean, TempDirs } from './processor-harness.js';
import type { Running } from './processor-harness.js';

type Ctx = ProcessContext<number>;

/** Sums the int64 messages per key into the group table. */
function summing(group: string, topic: string): GroupGraph<Ctx> {
  return defineGroup<Ctx>(
    group,
    input(topic, codecs.int64, (ctx: Ctx, value: number) => {
      ctx.setValue((ctx.value() ?? 0) + value);
    }),
    persist(codecs.int64),
  );
}

/**
 * An emitter writing all the time, `key-0..key-(keys-1)` in turn, counting per key what Kafka
 * acknowledged; {@link more} resolves once `count` more messages were acknowledged.
 */
class Load {
  readonly emitted = new Map<string, number>();
  total = 0;
  private on = true;
  private readonly waiters: Array<{ readonly total: number; readonly resolve: () => void }> = [];
  private readonly writing: Promise<void>;

  constructor(kafka: KafkajsAdapter, topic: string, keys: number, burst = 50) {
    const emitter = new Emitter(topic, codecs.int64, { kafka, logger: silentLogger });
    let next = 0;
    this.writing = (async () => {
      try {
        while (this.on) {
          const sends: Array<Promise<void>> = [];
          for (let i = 0; i < burst; i++) {
            const key = `key-${next++ % keys}`;
            sends.push(emitter.emit(key, 1).then(() => this.acknowledged(key)));
          }
          await Promise.all(sends);
        }
      } finally {
        await emitter.finish();
      }
    })();
  }

  more(count: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ total: this.total + count, resolve }));
  }

  async stop(): Promise<void> {
    this.on = false;
    await this.writing;
  }

  private acknowledged(key: string): void {
    this.emitted.set(key, (this.emitted.get(key) ?? 0) + 1);
    this.total += 1;
    for (const waiter of this.waiters.filter((w) => this.total >= w.total)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** Waits until the group committed everything written to `topic`, then checks the table against `load` through a view. */
async function expectNoLostUpdate(kafka: KafkajsAdapter, brokers: readonly string[], group: string, topic: string, load: Load): Promise<void> {
  const end = await highWatermarks(brokers, topic);
  expect([...end.values()].reduce((sum, n) => sum + n, 0)).toBe(load.total);
  await eventually(async () => expect(await committedOffsets(brokers, group, topic)).toEqual(end), { timeoutMs: 60_000 });
  const view = new View(`${group}-table`, codecs.int64, { kafka, logger: silentLogger });
  const viewing = view.run();
  try {
    await view.waitRunning();
    for (const [key, count] of load.emitted) expect(await view.get(key), key).toBeGreaterThanOrEqual(count);
  } finally {
    await view.stop();
    await viewing;
  }
}

/**
 * Goka's systemtests TestRebalance (instances joining and leaving over time while messages flow) and
 * TestProcessorGracefulShutdownContinue (stop and restart under load, 10 times: the table never counts
 * less than was emitted), on the shared broker.
 */
describe('Processor rebalances under load on a real broker', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  const dirs = new TempDirs();

  afterAll(() => dirs.cleanup());

  it('instances join and leave over time with 20 partitions while an emitter writes: no errors, every update counted', async () => {
    const PARTITIONS = 20;
    const group = uniqueName('proc-rebalance');
    const topic = uniqueName('proc-rebalance-in');
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    const graph = summing(group, topic);
    const { logger, errors } = recordingLogger();
    const load = new Load(kafka, topic, 100);
    const instances: Array<{ readonly processor: Processor<number>; readonly running: Running }> = [];
    const join = async (name: string): Promise<void> => {
      const processor = new Processor(graph, { kafka, ...FAST, logger, clientId: name });
      instances.push({ processor, running: await startReady(processor) });
      await load.more(300);
    };
    for (let i = 0; i < 4; i++) await join(`rebalance-${i}`);
    // Two leave again, one after the other, while the others keep going.
    for (const leaving of instances.slice(0, 2)) {
      await stopClean(leaving.processor, leaving.running);
      await load.more(300);
    }
    await load.stop();
    const remaining = instances.slice(2);
    await expectNoLostUpdate(kafka, brokers, group, topic, load);

    expect(instances.map(({ running }) => running.outcome.settled)).toEqual(['resolved', 'resolved', 'pending', 'pending']);
    const held = await Promise.all(remaining.map(async ({ processor }) => (await processor.stats()).partitions.map((p) => p.partition)));
    expect(held.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: PARTITIONS }, (_, i) => i));
    for (const { processor, running } of remaining) await stopClean(processor, running);
    expect(errors).toEqual([]);
  });

  it('stops and restarts 10 times under load (RocksDB): the table never counts less than was emitted; run twice fails', async () => {
    const group = uniqueName('proc-restart');
    const topic = uniqueName('proc-restart-in');
    await createTopics(brokers, [{ topic, partitions: 4 }]);
    const graph = summing(group, topic);
    const storage: StorageFactory = await dirs.rocksDb('restart');
    const load = new Load(kafka, topic, 20);
    let last: Processor<number> | undefined;
    for (let cycle = 0; cycle < 10; cycle++) {
      const processor = new Processor(graph, { kafka, storage, ...FAST });
      const running = await startReady(processor);
      // Some of the load reaches this instance before it stops.
      await load.more(100);
      await eventually(async () => expect((await processor.stats()).partitions.some((p) => (p.input[topic]?.count ?? 0) > 0)).toBe(true));
      await stopClean(processor, running);
      last = processor;
    }
    await load.stop();
    await expect(last?.run()).rejects.toBeInstanceOf(ProcessorError);

    const final = new Processor(graph, { kafka, storage, ...FAST });
    const running = await startReady(final);
    await expectNoLostUpdate(kafka, brokers, group, topic, load);
    for (const [key, count] of load.emitted) expect(await final.get(key), key).toBeGreaterThanOrEqual(count);
    await stopClean(final, running);
  });
});
