import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { ProcessorError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { silentLogger } from '../util/logger.js';
import { InFlightBudget } from './in-flight-budget.js';
import { Processor } from './processor.js';

describe('InFlightBudget', () => {
  it('admits what fits at once, queues the rest first come first served, and admits a lone oversized batch', async () => {
    const budget = new InFlightBudget(100);
    expect(budget.acquire(60)).toBeUndefined();
    const admitted: string[] = [];
    const second = budget.acquire(50)?.then(() => admitted.push('50'));
    const third = budget.acquire(10)?.then(() => admitted.push('10'));
    // 10 would fit, but 50 waits before it.
    expect(second).toBeInstanceOf(Promise);
    expect(third).toBeInstanceOf(Promise);
    budget.release(60);
    await Promise.all([second, third]);
    expect(admitted).toEqual(['50', '10']);
    expect(budget.inFlightBytes).toBe(60);
    budget.release(50);
    budget.release(10);
    // Larger than the whole budget: admitted when nothing else is in flight.
    expect(budget.acquire(500)).toBeUndefined();
    expect(budget.inFlightBytes).toBe(500);
  });
});

/** `kafka` whose producers hold every send until `open()` is called. */
function gated(kafka: MemoryKafka): { adapter: KafkaAdapter; open: () => void; held: () => number } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let held = 0;
  const adapter = new Proxy(kafka, {
    get(target, property) {
      if (property === 'createProducer') {
        return (...args: Parameters<MemoryKafka['createProducer']>): KafkaProducer => {
          const producer = target.createProducer(...args);
          return {
            connect: () => producer.connect(),
            disconnect: () => producer.disconnect(),
            send: async (records) => {
              held += 1;
              await gate;
              return producer.send(records);
            },
          };
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { adapter, open, held: () => held };
}

describe('Processor maxInFlightBytes', () => {
  it('bounds the batches processed but not yet acknowledged over all partitions, and loses nothing', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 4 });
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    await Promise.all(Array.from({ length: 400 }, (_, i) => emitter.emit(`user-${i % 40}`, 'click')));
    await emitter.finish();
    const { adapter, open, held } = gated(kafka);
    let callbacks = 0;
    const partitionsRun = new Set<number>();
    const graph = defineGroup<ProcessContext<number>>(
      'budgeted',
      input('clicks', codecs.string, (ctx) => {
        callbacks += 1;
        partitionsRun.add(ctx.partition);
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );
    // Smaller than any batch: one batch of the instance at a time.
    const processor = new Processor(graph, { kafka: adapter, logger: silentLogger, initialOffset: 'oldest', maxInFlightBytes: 1 });
    const running = processor.run();
    await until(() => held() === 1);
    // Give the other partitions every chance to run (in memory, a batch is delivered at once): without
    // the budget each of the four would have run and sent its first batch by now.
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(held()).toBe(1);
    expect(partitionsRun.size).toBe(1);
    expect(callbacks).toBeLessThan(400);
    open();
    await until(() => callbacks === 400);
    await processor.waitForReady();
    for (let user = 0; user < 40; user++) await until(async () => (await processor.get(`user-${user}`)) === 10);
    await processor.stop();
    await running;
  });

  it('refuses a budget that is not a positive integer, naming the group', () => {
    const graph = defineGroup('bad-budget', input('clicks', codecs.string, () => undefined));
    expect(() => new Processor(graph, { kafka: new MemoryKafka(), maxInFlightBytes: 0 })).toThrow(ProcessorError);
    expect(() => new Processor(graph, { kafka: new MemoryKafka(), maxInFlightBytes: 0 })).toThrow(/bad-budget.*maxInFlightBytes/);
  });
});

/** Resolves once `condition` holds, checked after each macrotask. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
