import { codecs, defineGroup, input, output, persist, Processor, silentLogger, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { startKafka } from '@goka/scripts';
import type { KafkaCluster } from '@goka/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { uniqueName } from '../support/kafka.js';
import {
  adapterFor,
  committedOffsets,
  createTopics,
  deferred,
  emitAll,
  FAST,
  highWatermarks,
  keyed,
  recordingLogger,
  startReady,
  stopClean,
  TempDirs,
} from './processor-harness.js';

type Ctx = ProcessContext<number>;

/** The suite's own broker: killed and restarted, so never the shared 9092 one. */
const PORT = 19492;
const PARTITIONS = 2;
const KEYS = 10;

/**
 * Processors keep working through a broker restart (issue 4: "reconnect with backoff and only stop
 * on errors in user code or invalid data"): the broker dies while a batch's records are about to be
 * produced; the partition retries the send with backoff, `run()` stays pending, and once the broker is
 * back the held batch and new input are processed. The suite starts its own single broker on port
 * 19492 (profile `single-19492`).
 */
describe('Processor through a broker restart', () => {
  let broker: KafkaCluster;
  let kafka: KafkajsAdapter;
  const dirs = new TempDirs();

  beforeAll(async () => {
    broker = await startKafka({ nodes: 1, port: PORT, ifRunning: 'replace' });
    kafka = adapterFor(broker.brokers, {
      requestTimeout: 5000,
      // kafkajs gives up quickly, so the processor's own retries (not kafkajs') ride out the outage.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
  }, 150_000);

  afterAll(async () => {
    await dirs.cleanup();
    if (broker !== undefined) await broker.stop();
  }, 60_000);

  it('retries the produce of a batch through the outage: run() stays pending and processing resumes', async () => {
    const group = uniqueName('proc-reconnect');
    const topic = uniqueName('proc-reconnect-in');
    const out = uniqueName('proc-reconnect-out');
    await createTopics(broker.brokers, [
      { topic, partitions: PARTITIONS },
      { topic: out, partitions: PARTITIONS },
    ]);
    const gate = deferred();
    const held = deferred();
    const graph = defineGroup<Ctx>(
      group,
      input(topic, codecs.string, async (ctx: Ctx, message: string) => {
        if (message === 'hold') {
          held.resolve();
          await gate.promise;
        }
        ctx.setValue((ctx.value() ?? 0) + 1);
        ctx.emit(out, ctx.key, message);
      }),
      output(out, codecs.string),
      persist(codecs.int64),
    );
    const { logger, infos, warnings } = recordingLogger();
    const processor = new Processor(graph, {
      kafka,
      storage: await dirs.rocksDb('reconnect'),
      ...FAST,
      // Long enough for the member to keep its generation through the restart, so the held batch is
      // retried (rather than dropped with the generation and processed again): both keep the counts.
      sessionTimeoutMs: 30_000,
      produceRetry: { initialMs: 100, maxMs: 1000 },
      logger,
    });
    const running = await startReady(processor);
    await emitAll(kafka, topic, codecs.string, keyed(KEYS, KEYS, () => 'before'));
    await eventually(async () => {
      for (let i = 0; i < KEYS; i++) expect(await processor.get(`key-${i}`)).toBe(1);
    });

    await emitAll(kafka, topic, codecs.string, [['key-0', 'hold']]);
    await held.promise;
    await broker.kill(1, 'SIGKILL');
    // The callback returns while the broker is gone: the batch's table write and emit cannot be sent.
    gate.resolve();
    await eventually(() => expect(warnings.some((w) => w.includes('will retry'))).toBe(true), { timeoutMs: 60_000 });
    expect(running.outcome.settled).toBe('pending');

    await broker.restart(1);
    const after = adapterFor(broker.brokers);
    await emitAll(after, topic, codecs.string, keyed(KEYS, KEYS, () => 'after'));
    // Everything was processed, acknowledged and committed: the committed offsets reach the end.
    const end = await highWatermarks(broker.brokers, topic);
    expect([...end.values()].reduce((sum, n) => sum + n, 0)).toBe(2 * KEYS + 1);
    await eventually(async () => expect(await committedOffsets(broker.brokers, group, topic)).toEqual(end), { timeoutMs: 90_000 });
    expect(running.outcome.settled).toBe('pending');
    expect(processor.state).toBe('running');
    // Either the retry got through in the same generation, or the generation ended (the coordinator
    // dropped the member) and the held batch was processed again in the next one.
    const retried = infos.some((line) => line.includes('succeeded again'));
    const dropped = warnings.some((line) => line.includes('generation ended while the records'));
    expect(retried || dropped).toBe(true);

    // What Kafka holds (not the processor's unacknowledged overlay): the table and the outputs.
    const view = new View(`${group}-table`, codecs.int64, { kafka: after, logger: silentLogger });
    const viewing = view.run();
    await view.waitRunning();
    expect(await view.get('key-0')).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < KEYS; i++) expect(await view.get(`key-${i}`)).toBeGreaterThanOrEqual(2);
    await view.stop();
    await viewing;
    const outputs = await highWatermarks(broker.brokers, out);
    expect([...outputs.values()].reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(2 * KEYS + 1);
    await stopClean(processor, running);
  });
});
