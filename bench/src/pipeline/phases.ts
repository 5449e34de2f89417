import { randomUUID } from 'node:crypto';
import { codecs, defineGroup, input, persist, Processor, silentLogger, tableName } from '@goka/core';
import type { KafkaAdapter, ProcessContext } from '@goka/core';
import type { KafkaProducer, OutgoingMessage } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import kafkajs from 'kafkajs';
import { benchKey } from '../support/fill.js';
import type { GokaBuild } from '../support/go-build.js';
import { collectGarbage, now, RssSampler, withTimeout } from '../support/measure.js';
import { relayBatch } from '../support/relay.js';
import type { PipelinePhase } from './options.js';
import { startBenchTracing } from './tracing.js';

/** How often the committed offsets are compared with the high-water marks. */
export const POLL_MS = 200;

export interface PipelineContext {
  readonly brokers: readonly string[];
  /** The filled input topic. */
  readonly topic: string;
  readonly partitions: number;
  readonly messages: number;
  readonly keys: number;
  /** Input high-water mark per partition (the topic gets no new records during the phases). */
  readonly hwms: readonly number[];
  readonly timeoutMs: number;
  readonly rawSendRecords: number;
  readonly rawConcurrency: number;
  readonly commitIntervalMs: number;
  /** `fetchMaxBytesPerPartition` of the processor's adapter (`undefined`: its default). */
  readonly fetchPartitionBytes: number | undefined;
  /** Node flags of the processor workers beyond the bench's own. */
  readonly workerNodeFlags?: readonly string[];
  /** Directory for the processor's RocksDB stores. */
  readonly storagePath: string;
  /** The built bench/goka program (`pnpm bench`'s Go Goka phase); `undefined`: none. */
  readonly goka?: GokaBuild | undefined;
}

export interface PipelineResult {
  readonly phase: PipelinePhase;
  readonly label: string;
  readonly messages: number;
  /** From connect / `run()` until the group's committed offsets reached every high-water mark. */
  readonly ms: number;
  /** Of `ms`, the time until the first message reached the handler (connect, topics, group join). */
  readonly setupMs: number | undefined;
  /** Records in the output topic (raw) or the group table topic (processor) at completion. */
  readonly produced: number;
  readonly peakRssBytes: number;
  readonly startRssBytes: number;
  /** CPU time of this process (all threads) during the phase, ms. */
  readonly cpuMs: number;
  /** Time to stop the consumer / processor after completion (not in `ms`). */
  readonly stopMs: number;
  readonly details: Readonly<Record<string, number | string>>;
}

type Measured = Omit<PipelineResult, 'peakRssBytes' | 'startRssBytes' | 'cpuMs'>;

async function measured(work: () => Promise<Measured>): Promise<PipelineResult> {
  collectGarbage();
  const sampler = new RssSampler();
  const cpu = process.cpuUsage();
  try {
    const result = await work();
    const used = process.cpuUsage(cpu);
    return { ...result, peakRssBytes: sampler.stop(), startRssBytes: sampler.start, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    sampler.stop();
  }
}

export function kafkajsAdmin(brokers: readonly string[], clientId: string): kafkajs.Admin {
  return new kafkajs.Kafka({ clientId, brokers: [...brokers], logLevel: kafkajs.logLevel.ERROR }).admin();
}

/** Sum of a topic's high-water marks (its record count: nothing is compacted or deleted this soon). */
export async function topicRecords(admin: kafkajs.Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high }) => sum + Number(high), 0);
}

/** A topic's high-water mark per partition (0 for a partition the broker did not report). */
export async function topicHwms(brokers: readonly string[], topic: string, partitions: number): Promise<number[]> {
  const admin = kafkajsAdmin(brokers, 'bench-offsets');
  await admin.connect();
  try {
    const hwms = Array.from({ length: partitions }, () => 0);
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) hwms[partition] = Number(high);
    return hwms;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a plain (delete-policy) topic. On a loaded machine the broker may answer the metadata request
 * that waits for the leaders with UNKNOWN_TOPIC_OR_PARTITION before it knows the new topic (seen
 * 2026-12-07 at 89% CPU pressure): such retriable errors are tried again, up to 5 times.
 */
export async function createTopic(brokers: readonly string[], topic: string, partitions: number): Promise<void> {
  const admin = kafkajsAdmin(brokers, 'bench-create');
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        // Resolves false (no error, no wait for the leaders) when an earlier attempt created it already.
        const created = await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
        if (!created) await admin.fetchTopicOffsets(topic);
        return;
      } catch (error) {
        const retriable = (error as { retriable?: unknown } | null)?.retriable === true;
        if (!retriable || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Resolves once `groupId`'s committed offsets of `context.topic` reached every high-water mark,
 * polling with kafkajs' `fetchOffsets` every {@link POLL_MS}; returns the time it saw that.
 */
export async function waitForCommits(admin: kafkajs.Admin, groupId: string, context: PipelineContext, signal: AbortSignal): Promise<number> {
  for (;;) {
    if (signal.aborted) throw new Error(`stopped waiting for the commits of ${groupId}`);
    const [topic] = await admin.fetchOffsets({ groupId, topics: [context.topic] });
    const seen = now();
    const done = (topic?.partitions.length ?? 0) === context.partitions &&
      (topic?.partitions ?? []).every(({ partition, offset }) => Number(offset) >= (context.hwms[partition] ?? 0));
    if (done) return seen;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * (a) The client's ceiling: a plain kafkajs consumer (`eachBatch`, `fromBeginning`, no auto-commit)
 * that produces every record of a batch to an output topic with `sendBatch` (same partition; sends of
 * at most `rawSendRecords` records in parallel, since kafkajs groups a send's records per partition in
 * quadratic time), waits for the acknowledgements, then commits the batch.
 */
export function rawPassthrough(context: PipelineContext): Promise<PipelineResult> {
  return measured(async () => {
    const output = `${context.topic}-raw-out-${randomUUID().slice(0, 8)}`;
    await createTopic(context.brokers, output, context.partitions);
    const groupId = `bench-raw-${randomUUID()}`;
    const kafka = new kafkajs.Kafka({ clientId: 'bench-raw', brokers: [...context.brokers], logLevel: kafkajs.logLevel.ERROR });
    const consumer = kafka.consumer({ groupId });
    const producer = kafka.producer();
    const admin = kafkajsAdmin(context.brokers, 'bench-raw-poll');
    await admin.connect();
    const controller = new AbortController();
    let count = 0;
    let batches = 0;
    let sends = 0;
    let firstAt: number | undefined;
    let failure: unknown;
    const started = now();
    try {
      await Promise.all([consumer.connect(), producer.connect()]);
      await consumer.subscribe({ topic: context.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: context.rawConcurrency,
        eachBatch: async ({ batch }) => {
          if (batch.messages.length === 0) return;
          firstAt ??= now();
          try {
            sends += await relayBatch(consumer, producer, batch, output, context.rawSendRecords);
            batches++;
            count += batch.messages.length;
          } catch (error) {
            failure ??= error;
            controller.abort();
            throw error;
          }
        },
      });
      const doneAt = await withTimeout('the raw passthrough', context.timeoutMs, waitForCommits(admin, groupId, context, controller.signal), () =>
        controller.abort(),
      );
      if (failure !== undefined) throw failure;
      const produced = await topicRecords(admin, output);
      const stopStarted = now();
      await consumer.disconnect();
      const stopMs = now() - stopStarted;
      return {
        phase: 'raw',
        label: 'raw kafkajs consume→produce→commit',
        messages: count,
        ms: doneAt - started,
        setupMs: firstAt === undefined ? undefined : firstAt - started,
        produced,
        stopMs,
        details: { batches, sends, messagesPerBatch: batches === 0 ? 0 : Math.round(count / batches) },
      };
    } finally {
      controller.abort();
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
      await admin.deleteTopics({ topics: [output] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
}

/** `target` with every function property bound to it, and `override` taking the place of some. */
function wrap<T extends object>(target: T, override: Partial<Record<PropertyKey, unknown>>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(override, property)) return override[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** The adapter, counting the records of every `send` of the producers it creates (no other change). */
function countingSends(adapter: KafkaAdapter, onSend: (records: number) => void): KafkaAdapter {
  return wrap(adapter, {
    createProducer: (...args: Parameters<KafkaAdapter['createProducer']>): KafkaProducer => {
      const producer = adapter.createProducer(...args);
      return wrap(producer, {
        send: (records: readonly OutgoingMessage[]) => {
          onSend(records.length);
          return producer.send(records);
        },
      });
    },
  });
}

/** The count of key `key-<j>` after `messages` messages over `keys` keys. */
export function expectedCount(j: number, messages: number, keys: number): number {
  return Math.floor(messages / keys) + (j < messages % keys ? 1 : 0);
}

/**
 * (b) Ours: a Processor counting messages per key into its group table (`persist(codecs.int64)`,
 * RocksDB, `initialOffset: 'oldest'`). Done when the group's committed offsets reach every
 * high-water mark: the processor commits an offset only after the table writes of the messages before
 * it were acknowledged.
 */
export function processorCount(context: PipelineContext, traced = false): Promise<PipelineResult> {
  return measured(async () => {
    const stopTracing = traced ? startBenchTracing() : undefined;
    const group = `bench-count-${randomUUID().slice(0, 8)}`;
    let firstAt: number | undefined;
    let handled = 0;
    const graph = defineGroup<ProcessContext<number>>(
      group,
      input(context.topic, codecs.bytes, (ctx) => {
        firstAt ??= now();
        handled++;
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );
    const sends = { count: 0, records: 0, largest: 0 };
    const adapter = new KafkajsAdapter({
      brokers: context.brokers,
      logger: silentLogger,
      ...(context.fetchPartitionBytes === undefined ? {} : { fetchMaxBytesPerPartition: context.fetchPartitionBytes }),
    });
    const processor = new Processor(graph, {
      kafka: countingSends(adapter, (records) => {
        sends.count++;
        sends.records += records;
        sends.largest = Math.max(sends.largest, records);
      }),
      storage: rocksDbStorageFactory({ path: context.storagePath }),
      logger: silentLogger,
      clientId: 'bench-processor',
      initialOffset: 'oldest',
      commitIntervalMs: context.commitIntervalMs,
    });
    const admin = kafkajsAdmin(context.brokers, 'bench-processor-poll');
    await admin.connect();
    const controller = new AbortController();
    const started = now();
    const running = processor.run();
    const failed = running.then(
      () => {
        throw new Error('the processor stopped before it had committed every message');
      },
      (error: unknown) => {
        throw error;
      },
    );
    failed.catch(() => undefined);
    try {
      const doneAt = await withTimeout(
        'the processor',
        context.timeoutMs,
        Promise.race([waitForCommits(admin, group, context, controller.signal), failed]),
        () => controller.abort(),
      );
      const produced = await topicRecords(admin, tableName(group));
      // Spot-check the counts of the first and the last key.
      const checks = [0, context.keys - 1].map(async (j) => {
        const value = await processor.get(benchKey(j));
        const expected = expectedCount(j, context.messages, context.keys);
        return value === expected ? undefined : `${benchKey(j)} = ${String(value)}, expected ${expected}`;
      });
      const wrong = (await Promise.all(checks)).filter((line) => line !== undefined);
      const stopStarted = now();
      await processor.stop();
      await running;
      const stopMs = now() - stopStarted;
      const spans = stopTracing === undefined ? undefined : await stopTracing();
      return {
        phase: traced ? 'processor-traced' : 'processor',
        label: traced ? 'our Processor, count → RocksDB, traced (OpenTelemetry SDK)' : 'our Processor, count → RocksDB',
        messages: handled,
        ms: doneAt - started,
        setupMs: firstAt === undefined ? undefined : firstAt - started,
        produced,
        stopMs,
        details: {
          group,
          producerSends: sends.count,
          recordsPerSend: sends.count === 0 ? 0 : Math.round(sends.records / sends.count),
          largestSend: sends.largest,
          ...(spans === undefined ? {} : { spans }),
          ...(wrong.length === 0 ? {} : { wrongCounts: wrong.join('; ') }) },
      };
    } finally {
      controller.abort();
      await stopTracing?.();
      await processor.stop();
      await running.catch(() => undefined);
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.deleteTopics({ topics: [tableName(group)] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
}
