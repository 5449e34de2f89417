import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { KafkaConnectionError, ProduceFailedError } from '../errors/kafka-error.js';
import { ProcessingError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input } from '../graph/edges.js';
import type { GroupSession } from '../kafka/consumer-group.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import { memoryStorageFactory } from '../storage/memory-storage-factory.js';
import { silentLogger } from '../util/logger.js';
import { Processor } from './processor.js';
import { appended, counter, emitAll, setup, started } from './processor.spec-support.js';

describe('Processor on MemoryKafka: produce failures and commits', () => {
  describe('produce failures that may heal (a broker restarting)', () => {
    const unreachable = (): KafkaConnectionError => new KafkaConnectionError(['memory:9092'], 'test', { cause: new Error('ECONNREFUSED') });
    const retry = { initialMs: 1, maxMs: 4 } as const;

    it('retries the batch with backoff before later batches, then stores and commits it', async () => {
      const kafka = setup(1);
      let failures = 0;
      kafka.setProduceFault((records) => (records.some((r) => r.topic === 'counter-table') && failures++ < 3 ? unreachable() : undefined));
      const processor = new Processor(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 5, produceRetry: retry });
      const { running } = await started(processor);
      const writes = appended(kafka, 'counter-table', 6);
      await emitAll(kafka, 'clicks', [['k', 'a']]);
      await emitAll(kafka, 'clicks', Array.from({ length: 5 }, () => ['k', 'b'] as const));
      const records = await writes;
      expect(failures).toBeGreaterThanOrEqual(3);
      // The failed batch went out first: the table topic has the counts in order.
      expect(records.map((r) => r.value?.toString())).toEqual(['1', '2', '3', '4', '5', '6']);
      expect(await processor.get('k')).toBe(6);
      await processor.stop();
      await running;
      expect(kafka.group('counter').offsets().get('clicks')?.get(0)).toBe(6);
    });

    it('stops with an asynchronous ProcessingError once produceRetry.timeoutMs is over', async () => {
      const kafka = setup(1);
      kafka.setProduceFault((records) => (records.some((r) => r.topic === 'counter-table') ? unreachable() : undefined));
      const processor = new Processor(counter(), {
        kafka,
        logger: silentLogger,
        initialOffset: 'oldest',
        produceRetry: { ...retry, timeoutMs: 20 },
      });
      const running = processor.run();
      await processor.waitForReady();
      await emitAll(kafka, 'clicks', [['k', 'a']]);
      const error: unknown = await running.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ProcessingError);
      expect(error).toMatchObject({ group: 'counter', topic: 'clicks', partition: 0, offset: 0, key: 'k', async: true });
      expect((error as Error).cause).toBeInstanceOf(ProduceFailedError);
      expect(((error as Error).cause as Error).cause).toBeInstanceOf(KafkaConnectionError);
      expect(kafka.group('counter').offsets().get('clicks')?.get(0)).toBeUndefined();
    });

    it('drops a batch still retried when the processor stops: nothing stored or committed, the next run processes it', async () => {
      const kafka = setup(1);
      let attempts = 0;
      let retried!: () => void;
      const retriedTwice = new Promise<void>((resolve) => (retried = resolve));
      kafka.setProduceFault((records) => {
        if (!records.some((r) => r.topic === 'counter-table')) return undefined;
        if (++attempts === 2) retried();
        return unreachable();
      });
      const storage = memoryStorageFactory();
      const options = { kafka, storage, logger: silentLogger, initialOffset: 'oldest', produceRetry: retry } as const;
      const first = new Processor(counter(), options);
      const { running } = await started(first);
      await emitAll(kafka, 'clicks', [['k', 'a']]);
      await retriedTwice;
      await first.stop();
      await running;
      expect(kafka.group('counter').offsets().get('clicks')?.get(0)).toBeUndefined();
      expect(kafka.read('counter-table', 0)).toEqual([]);

      kafka.setProduceFault(undefined);
      const second = new Processor(counter(), options);
      const { running: again } = await started(second);
      const writes = appended(kafka, 'counter-table', 1);
      await writes;
      expect(await second.get('k')).toBe(1);
      await second.stop();
      await again;
      expect(kafka.group('counter').offsets().get('clicks')?.get(0)).toBe(1);
    });
  });

  it('sends a commit that could not reach Kafka again with the next one (offsets count once accepted)', async () => {
    const kafka = setup(1);
    let refused = 0;
    // The first commit of the group fails as if Kafka were unreachable; later ones go through.
    const flaky: KafkaAdapter = {
      name: 'flaky-commits',
      createProducer: (options) => kafka.createProducer(options),
      createAdmin: (options) => kafka.createAdmin(options),
      createReader: (options) => kafka.createReader(options),
      createConsumerGroup: (options) => {
        const group = kafka.createConsumerGroup(options);
        const wrapped = new WeakMap<GroupSession, GroupSession>();
        const wrap = (session: GroupSession): GroupSession => {
          let flakySession = wrapped.get(session);
          if (flakySession === undefined) {
            flakySession = {
              groupId: session.groupId,
              memberId: session.memberId,
              generation: session.generation,
              assignment: session.assignment,
              signal: session.signal,
              commit: async (offsets) => {
                if (refused++ === 0) throw new KafkaConnectionError(['memory'], 'test');
                await session.commit(offsets);
              },
            };
            wrapped.set(session, flakySession);
          }
          return flakySession;
        };
        return {
          run: (handler, signal) =>
            group.run(
              {
                assigned: (session) => handler.assigned(wrap(session)),
                batch: (session, topic, partition, messages) => handler.batch(wrap(session), topic, partition, messages),
                revoked: (session) => handler.revoked(wrap(session)),
              },
              signal,
            ),
        };
      },
    };
    const processor = new Processor(counter(), { kafka: flaky, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 1 });
    const { running } = await started(processor);
    const writes = appended(kafka, 'counter-table', 1);
    await emitAll(kafka, 'clicks', [['k', 'a']]);
    await writes;
    // The first commit failed; a later one sent the same offset again (no new message came meanwhile).
    await kafka.group('counter').whenCommitted();
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(kafka.group('counter').offsets().get('clicks')?.get(0)).toBe(1);
    const { commits, callbackErrors, partitions } = await processor.stats();
    // An active partition reports its group-table partition too (progress while recovering).
    expect(partitions[0]?.table).toMatchObject({ topic: 'counter-table', partition: 0, state: 'running', lag: 0 });
    expect(commits.failed).toBe(1);
    expect(commits.count).toBeGreaterThanOrEqual(1);
    expect(commits.lastLatencyMs).toBeGreaterThanOrEqual(0);
    expect(commits.totalLatencyMs).toBeGreaterThanOrEqual(commits.lastLatencyMs ?? 0);
    expect(callbackErrors).toBe(0);
    await processor.stop();
    await running;
  });

  it('waits for deferred commits before committing', async () => {
    const kafka = setup(1);
    let finish: ((error?: unknown) => void) | undefined;
    let called!: () => void;
    const callbackRan = new Promise<void>((resolve) => (called = resolve));
    const graph = defineGroup<ProcessContext<unknown>>(
      'deferring',
      input('clicks', codecs.string, (ctx: ProcessContext<unknown>) => {
        finish = ctx.deferCommit();
        called();
      }),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 5 });
    const { running } = await started(processor);
    await emitAll(kafka, 'clicks', [['k', 'v']]);
    await callbackRan;
    await processor.states.waitFor('running');
    expect(kafka.group('deferring').offsets().get('clicks')?.get(0)).toBeUndefined();
    finish?.();
    await processor.stop();
    await running;
    expect(kafka.group('deferring').offsets().get('clicks')?.get(0)).toBe(1);
  });
});
