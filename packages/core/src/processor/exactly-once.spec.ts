import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { KafkaConnectionError } from '../errors/kafka-error.js';
import { ProcessorError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, output, persist } from '../graph/edges.js';
import { deadLetter } from '../policy/error-policy.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { memoryStorageFactory } from '../storage/memory-storage-factory.js';
import { silentLogger } from '../util/logger.js';
import { View } from '../view/view.js';
import { Processor } from './processor.js';
import type { ProcessingGuarantee, ProcessorOptions } from './processor-options.js';

type Ctx = ProcessContext<number>;

/** Counts clicks per key and emits every new count to `counts`. */
const counter = () =>
  defineGroup<Ctx>(
    'counter',
    input('clicks', codecs.string, (ctx: Ctx) => {
      const count = (ctx.value() ?? 0) + 1;
      ctx.setValue(count);
      ctx.emit('counts', ctx.key, String(count));
    }),
    output('counts', codecs.string),
    persist(codecs.int64),
  );

const KEYS = Array.from({ length: 10 }, (_, index) => `key-${index}`);

function setup(): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('clicks', { partitions: 4 });
  kafka.createTopic('counts', { partitions: 4 });
  return kafka;
}

/** Emits `rounds` clicks for every key of {@link KEYS}. */
async function click(kafka: MemoryKafka, rounds: number): Promise<void> {
  const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
  for (let round = 0; round < rounds; round++) await Promise.all(KEYS.map((key) => emitter.emit(key, 'click')));
  await emitter.finish();
}

function processor(kafka: KafkaAdapter, options: Partial<ProcessorOptions> = {}): { processor: Processor<number>; running: Promise<void> } {
  const instance = new Processor<number>(counter(), {
    kafka,
    logger: silentLogger,
    initialOffset: 'oldest',
    guarantee: 'exactly-once',
    storage: memoryStorageFactory(),
    ...options,
  });
  const running = instance.run();
  running.catch(() => undefined);
  return { processor: instance, running };
}

/** Every key's count as a fresh read_committed view of the table sees it. */
async function tableCounts(kafka: MemoryKafka): Promise<Record<string, number | undefined>> {
  const view = new View('counter-table', codecs.int64, { kafka, logger: silentLogger });
  const controller = new AbortController();
  const running = view.run(controller.signal);
  await view.waitRunning();
  const counts = Object.fromEntries(await Promise.all(KEYS.map(async (key) => [key, await view.get(key)] as const)));
  controller.abort();
  await running;
  return counts;
}

function readCommitted(kafka: MemoryKafka, topic: string): string[] {
  const partitions = kafka.describeTopic(topic)?.partitions ?? [];
  return partitions.flatMap((partition) => kafka.read(topic, partition, 0, Number.MAX_SAFE_INTEGER, 'read_committed').map((m) => `${m.key?.toString()}=${m.value?.toString()}`));
}

const everyKey = (count: number) => Object.fromEntries(KEYS.map((key) => [key, count]));

describe('Processor with guarantee exactly-once on MemoryKafka', () => {
  it('commits table writes, outputs and input offsets in one transaction; read_committed readers see them after the commit', async () => {
    const kafka = setup();
    const { processor: counting, running } = processor(kafka, { commitIntervalMs: 60_000 });
    await counting.waitForReady();
    await click(kafka, 3);
    await kafka.idle();
    // Processed and sent, but the transaction is still open: nothing is visible or committed yet.
    expect(await counting.get('key-0')).toBe(3);
    expect(readCommitted(kafka, 'counts')).toEqual([]);
    expect(readCommitted(kafka, 'counter-table')).toEqual([]);
    expect(kafka.group('counter').offsets().get('clicks')).toBeUndefined();

    await counting.stop();
    await running;
    expect(readCommitted(kafka, 'counts')).toHaveLength(30);
    expect(await tableCounts(kafka)).toEqual(everyKey(3));
    const committed = [...(kafka.group('counter').offsets().get('clicks')?.values() ?? [])];
    expect(committed.reduce((a, b) => a + b, 0)).toBe(30);
    const { guarantee, transactions } = await counting.stats();
    expect(guarantee).toBe('exactly-once');
    expect(transactions).toMatchObject({ committed: 1, aborted: 0 });
  });

  /**
   * Two clicks per key with instance A, which never commits on its own; B joins; A crashes (its work not
   * committed); one more click per key. Returns the table's counts once B committed everything.
   */
  async function crashWithUncommittedWork(kafka: MemoryKafka, guarantee: ProcessingGuarantee): Promise<Record<string, number | undefined>> {
    const crashing = processor(kafka, { clientId: 'instance-a', commitIntervalMs: 60_000, guarantee });
    await crashing.processor.waitForReady();
    await click(kafka, 2);
    await kafka.idle();
    const survivor = processor(kafka, { clientId: 'instance-b', commitIntervalMs: 20, guarantee });
    await kafka.group('counter').settled();
    await kafka.idle();
    const [member] = kafka.group('counter').memberIds('instance-a');
    await kafka.group('counter').crash(member as string);
    await expect(crashing.running).rejects.toThrow(/crashed/);
    await click(kafka, 1);
    await kafka.idle();
    await kafka.group('counter').whenCommitted();
    const counts = await tableCounts(kafka);
    await survivor.processor.stop();
    await survivor.running;
    return counts;
  }

  it('counts exactly after an instance crashes with uncommitted work: its transaction is aborted and the survivor processes from the committed offsets', async () => {
    const kafka = setup();
    expect(await crashWithUncommittedWork(kafka, 'exactly-once')).toEqual(everyKey(3));
    expect(readCommitted(kafka, 'counts').filter((line) => line.startsWith('key-0='))).toEqual(['key-0=1', 'key-0=2', 'key-0=3']);
  });

  it('over-counts in the same crash with at-least-once (why exactly-once exists)', async () => {
    const counts = await crashWithUncommittedWork(setup(), 'at-least-once');
    expect(Object.values(counts).some((count) => (count ?? 0) > 3)).toBe(true);
  });

  it('aborts a transaction whose send failed and processes those messages again once Kafka answers', async () => {
    const kafka = setup();
    let failures = 1;
    kafka.setProduceFault((records) => {
      if (failures === 0 || records[0]?.topic !== 'counter-table') return undefined;
      failures -= 1;
      return new KafkaConnectionError(['memory'], 'counter');
    });
    const { processor: counting, running } = processor(kafka, { commitIntervalMs: 20 });
    await counting.waitForReady();
    // After the abort the instance leaves the group and joins again (setup → running).
    const rejoined = new Promise<void>((resolve) => {
      let left = false;
      const stop = counting.states.observe((state) => {
        if (state === 'setup') left = true;
        if (left && state === 'running') {
          stop();
          resolve();
        }
      });
    });
    await click(kafka, 2);
    await rejoined;
    await kafka.idle();
    await kafka.group('counter').whenCommitted();
    expect(await tableCounts(kafka)).toEqual(everyKey(2));
    expect(readCommitted(kafka, 'counts')).toHaveLength(20);
    const { transactions, state } = await counting.stats();
    expect(state).toBe('running');
    expect(transactions?.aborted).toBeGreaterThanOrEqual(1);
    expect(transactions?.lastAbortReason).toMatch(/ProduceFailedError: .*cannot reach Kafka/);
    await counting.stop();
    await running;
  });

  it('sends a bad record to the dead-letter topic inside the transaction and counts the rest exactly', async () => {
    const kafka = setup();
    const graph = defineGroup<Ctx>(
      'counter',
      input(
        'clicks',
        codecs.string,
        (ctx: Ctx, value: string) => {
          if (value === 'poison') throw new Error('cannot count poison');
          ctx.setValue((ctx.value() ?? 0) + 1);
        },
        { onError: deadLetter() },
      ),
      persist(codecs.int64),
    );
    const counting = new Processor<number>(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', guarantee: 'exactly-once', commitIntervalMs: 10 });
    const running = counting.run();
    await counting.waitForReady();
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    await Promise.all([emitter.emit('key-0', 'click'), emitter.emit('key-0', 'poison'), emitter.emit('key-0', 'click')]);
    await emitter.finish();
    await kafka.idle();
    await kafka.group('counter').whenCommitted();
    expect(await tableCounts(kafka)).toMatchObject({ 'key-0': 2 });
    expect(readCommitted(kafka, 'counter-dlq')).toEqual(['key-0=poison']);
    await counting.stop();
    await running;
  });

  it('refuses to start on an adapter without transactions', async () => {
    const kafka = setup();
    const plain: KafkaAdapter = {
      name: 'plain',
      createProducer: (options) => kafka.createProducer(options),
      createAdmin: (options) => kafka.createAdmin(options),
      createReader: (options) => kafka.createReader(options),
      createConsumerGroup: (options) => kafka.createConsumerGroup(options),
    };
    const { running } = processor(plain);
    await expect(running).rejects.toBeInstanceOf(ProcessorError);
    await expect(running).rejects.toThrow(/adapter "plain" has no transactions/);
  });
});
