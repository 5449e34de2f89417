import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { OutgoingMessage } from '../kafka/message.js';
import type { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageFactory, StorageOp } from '../storage/storage.js';
import { silentLogger } from '../util/logger.js';
import { sentTogether } from './partition-sender.js';
import { Processor } from './processor.js';
import type { ProcessorOptions } from './processor-options.js';
import { appended, setup, started } from './processor.spec-support.js';
import type { Ctx } from './processor.spec-support.js';

/** A counting processor on one partition whose storage writes are recorded (key and value of each op). */
function recorded(kafka: MemoryKafka, options: Partial<ProcessorOptions> = {}) {
  const writes: Array<Array<[string, number | null]>> = [];
  const storage: StorageFactory = async () => {
    const store = new MemoryStorage();
    const write = store.write.bind(store);
    store.write = (ops: readonly StorageOp[], offset?: number) => {
      if (ops.length > 0) writes.push(ops.map((op) => [op.key, op.type === 'put' ? codecs.int64.decode(op.value) : null]));
      return write(ops, offset);
    };
    return store;
  };
  // Each message is its own batch: the next is emitted once the callback saw the one before.
  let seen = 0;
  const waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  const graph = defineGroup<Ctx>(
    'counter',
    input('clicks', codecs.string, (ctx: Ctx) => {
      ctx.setValue((ctx.value() ?? 0) + 1);
      seen += 1;
      for (const waiter of waiters) if (waiter.count === seen) waiter.resolve();
    }),
    persist(codecs.int64),
  );
  const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', storage, ...options });
  const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
  /** Emits one message per key, each once the callback handled the one before. */
  const emitOneByOne = async (keys: readonly string[]): Promise<void> => {
    for (const key of keys) {
      const handled = new Promise<void>((resolve) => waiters.push({ count: seen + 1, resolve }));
      await emitter.emit(key, 'x');
      await handled;
    }
  };
  return { processor, writes, emitter, emitOneByOne };
}

describe('PartitionSender', () => {
  it('sends the batches that queued behind a send in flight together: one produce, one storage write, last write wins', async () => {
    const kafka = setup(1);
    // The processor's first table produce waits for `releaseFirst`; every table produce is recorded.
    const tableSends: number[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstSent!: () => void;
    const firstSending = new Promise<void>((resolve) => (firstSent = resolve));
    const createProducer = kafka.createProducer.bind(kafka);
    kafka.createProducer = (options) => {
      const producer = createProducer(options);
      const send = producer.send.bind(producer);
      producer.send = async (records: readonly OutgoingMessage[]) => {
        if (records.some((record) => record.topic === 'counter-table')) {
          tableSends.push(records.length);
          if (tableSends.length === 1) {
            firstSent();
            await firstHeld;
          }
        }
        return send(records);
      };
      return producer;
    };
    const { processor, writes, emitter, emitOneByOne } = recorded(kafka);
    const { running } = await started(processor);
    const tableRecords = appended(kafka, 'counter-table', 4);

    await emitter.emit('alice', 'a');
    await firstSending;
    await emitOneByOne(['alice', 'bob', 'alice']);
    releaseFirst();
    const records = await tableRecords;

    expect(tableSends).toEqual([1, 3]);
    expect(records.map((record) => [record.key?.toString(), codecs.int64.decode(record.value ?? Buffer.alloc(0))])).toEqual([
      ['alice', 1],
      ['alice', 2],
      ['bob', 1],
      ['alice', 3],
    ]);
    await processor.stop();
    await running;
    expect(writes).toEqual([
      [['alice', 1]],
      // One write for the three queued batches, in batch order: storage applies the last put of alice.
      [
        ['alice', 2],
        ['bob', 1],
        ['alice', 3],
      ],
    ]);
    await emitter.finish();
  });

  it('exactly-once: stores the table writes of all batches of a transaction in one write after the commit', async () => {
    const kafka = setup(1);
    // No commit by the interval during the test: the stop commits the one open transaction.
    const { processor, writes, emitter, emitOneByOne } = recorded(kafka, { guarantee: 'exactly-once', commitIntervalMs: 600_000 });
    const { running } = await started(processor);
    await emitOneByOne(['alice', 'bob', 'alice', 'alice']);
    expect(writes).toEqual([]);
    await processor.stop();
    await running;
    expect(writes).toEqual([
      [
        ['alice', 3],
        ['bob', 1],
      ],
    ]);
    await emitter.finish();
  });

  it('merges queued batches only while their records stay within 500: busy partitions send each large batch alone', () => {
    const queued = (...sizes: number[]) => sizes.map((length) => ({ batch: { records: { length } } }));
    expect(sentTogether(queued(1, 2, 3))).toBe(3);
    expect(sentTogether(queued(200, 300, 1))).toBe(2);
    expect(sentTogether(queued(300, 300))).toBe(1);
    // One batch goes out however large it is.
    expect(sentTogether(queued(2000, 1))).toBe(1);
    expect(sentTogether([])).toBe(0);
  });
});
