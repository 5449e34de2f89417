import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { OutgoingMessage } from '../kafka/message.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageOp } from '../storage/storage.js';
import { silentLogger } from '../util/logger.js';
import { Processor } from './processor.js';
import { appended, setup, started } from './processor.spec-support.js';
import type { Ctx } from './processor.spec-support.js';

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
    const storageWrites: StorageOp[][] = [];
    const storage = async () => {
      const store = new MemoryStorage();
      const write = store.write.bind(store);
      store.write = (ops, offset) => {
        if (ops.length > 0) storageWrites.push([...ops]);
        return write(ops, offset);
      };
      return store;
    };
    // Each message is its own batch: the next is emitted once the callback saw the one before.
    let seen = 0;
    const waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];
    const sawMessages = (count: number) => new Promise<void>((resolve) => waiters.push({ count, resolve }));
    const graph = defineGroup<Ctx>(
      'counter',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue((ctx.value() ?? 0) + 1);
        seen += 1;
        for (const waiter of waiters) if (waiter.count === seen) waiter.resolve();
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', storage });
    const { running } = await started(processor);
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    const tableRecords = appended(kafka, 'counter-table', 4);

    await emitter.emit('alice', 'a');
    await firstSending;
    for (const [index, key] of ['alice', 'bob', 'alice'].entries()) {
      await emitter.emit(key, 'x');
      await sawMessages(index + 2);
    }
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
    const stored = (ops: StorageOp[]) => ops.map((op) => [op.key, op.type === 'put' ? codecs.int64.decode(op.value) : null]);
    expect(storageWrites.map(stored)).toEqual([
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
});
