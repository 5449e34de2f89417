#!/usr/bin/env node
/**
 * A bench worker: one Processor (or the raw kafkajs relay) in its own process, so that its peak RSS
 * and CPU are its own. Driven by the parent over IPC (`protocol.ts`); never run by hand.
 */
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { codecs, defineGroup, input, memoryStorageFactory, persist, Processor, silentLogger } from '@goka/core';
import type { ProcessContext, StorageFactory } from '@goka/core';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import kafkajs from 'kafkajs';
import { startBenchTracing } from '../pipeline/tracing.js';
import { now, ownPeakRssKiB } from '../support/measure.js';
import { relayBatch } from '../support/relay.js';
import { WORKER_CONFIG_ENV } from './protocol.js';
import type { FromWorker, MemorySample, ToWorker, WorkerConfig, WorkerTransactions } from './protocol.js';

/** A running component, as the worker drives it. */
interface Runner {
  start(): void;
  /** Resolves when ready (processor: `waitForReady`; relay: consumer running). */
  ready(): Promise<{ records: number; partitions: number[] }>;
  get(keys: readonly string[]): Promise<Array<number | null>>;
  stop(): Promise<void>;
  handled(): number;
  /** Exactly-once processors: their transactions so far. */
  transactions(): Promise<WorkerTransactions | undefined>;
}

function memorySample(): MemorySample {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}

/** {@link memorySample} with V8's young generation: cheap enough to take at each new peak. */
function detailedSample(sample: MemorySample): MemorySample {
  let youngGeneration = 0;
  for (const space of getHeapSpaceStatistics()) if (space.space_name.startsWith('new_')) youngGeneration += space.space_size;
  return { ...sample, youngGeneration };
}

/**
 * The resident bytes of mapped files (node binary, addons), from `/proc/self/smaps_rollup` (Linux;
 * else `undefined`). Read once at stop, never while the phase runs: the kernel walks every mapping
 * for it, which took 19 ms of the main thread at 560 MiB RSS, and mapped files do not grow after
 * start-up.
 */
function fileBackedBytes(): number | undefined {
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? Number.NaN);
    const files = (kib('Rss') - kib('Anonymous')) * 1024;
    return Number.isFinite(files) ? files : undefined;
  } catch {
    return undefined;
  }
}

function send(message: FromWorker): void {
  process.send?.(message);
}

/** The worker's storage factory; the legacy binding is imported only when asked for (it aborts Node 22+). */
async function storageFor(config: Extract<WorkerConfig, { mode: 'count' | 'recover' }>): Promise<StorageFactory> {
  if (config.storage === 'memory') return memoryStorageFactory();
  if (config.storage !== 'rocksdb-legacy') return rocksDbStorageFactory({ path: config.storagePath });
  const legacy = await import('../legacy-rocksdb/rocksdb-storage-factory.js');
  return legacy.rocksDbStorageFactory({ path: config.storagePath });
}

/**
 * `Adapter`: `@goka/kafkajs`' adapter, imported by processor workers only. It fixes a kafkajs timer
 * bug on load (kafkajs-request-queue.ts) for every kafkajs client of the process, so the raw relay must
 * not load it: it measures kafkajs as published.
 */
function processorRunner(config: Extract<WorkerConfig, { mode: 'count' | 'recover' }>, storage: StorageFactory, Adapter: typeof KafkajsAdapter): Runner {
  let handled = 0;
  let first = false;
  const onMessage = (): void => {
    handled++;
    if (!first) {
      first = true;
      send({ type: 'first', at: Date.now() });
    }
  };
  // A traced phase registers the SDK before the processor exists, as an app's tracing setup runs first.
  const stopTracing = config.mode === 'count' && config.tracing !== undefined ? startBenchTracing(config.tracing.sampleRatio) : undefined;
  const kafka = new Adapter({
    brokers: config.brokers,
    logger: silentLogger,
    ...(config.mode === 'count' && config.fetchPartitionBytes !== undefined ? { fetchMaxBytesPerPartition: config.fetchPartitionBytes } : {}),
  });
  const options = { kafka, storage, logger: silentLogger, clientId: config.clientId, initialOffset: 'oldest' as const };
  let processor: Processor<number> | Processor<Buffer>;
  if (config.mode === 'count') {
    const graph = defineGroup<ProcessContext<number>>(
      config.group,
      input(config.topic, codecs.bytes, (ctx) => {
        onMessage();
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );
    processor = new Processor(graph, {
      ...options,
      commitIntervalMs: config.commitIntervalMs,
      ...(config.guarantee === undefined ? {} : { guarantee: config.guarantee }),
      ...(config.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: config.heartbeatIntervalMs }),
    });
  } else {
    const graph = defineGroup<ProcessContext<Buffer>>(
      config.group,
      input(config.topic, codecs.bytes, (ctx) => {
        onMessage();
        ctx.setValue(ctx.value() ?? Buffer.alloc(0));
      }),
      persist(codecs.bytes),
    );
    processor = new Processor(graph, options);
  }
  let running: Promise<void> | undefined;
  return {
    start() {
      running = processor.run();
      running.catch((error: unknown) => send({ type: 'error', message: String(error) }));
    },
    async ready() {
      await processor.waitForReady();
      const stats = await processor.stats();
      let records = 0;
      const partitions: number[] = [];
      for (const partition of stats.partitions) {
        if (partition.mode === 'active') partitions.push(partition.partition);
        // Active partitions report their recovery's offsets only: it read from startOffset to hwm.
        const { startOffset, hwm } = partition.recovery ?? {};
        if (startOffset !== undefined && hwm !== undefined) records += Math.max(0, hwm - startOffset);
      }
      return { records, partitions };
    },
    async get(keys) {
      return Promise.all(
        keys.map(async (key) => {
          try {
            const value: unknown = await processor.get(key);
            return typeof value === 'number' ? value : value === undefined ? null : -1;
          } catch {
            return null;
          }
        }),
      );
    },
    async stop() {
      await processor.stop();
      await running?.catch(() => undefined);
      await stopTracing?.();
    },
    handled: () => handled,
    async transactions() {
      const stats = await processor.stats();
      const found = stats.transactions;
      return found === undefined ? undefined : { committed: found.committed, aborted: found.aborted, totalCommitMs: Math.round(found.totalCommitMs) };
    },
  };
}

function relayRunner(config: Extract<WorkerConfig, { mode: 'relay' }>): Runner {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-relay', brokers: [...config.brokers], logLevel: kafkajs.logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: config.group });
  const producer = kafka.producer();
  let handled = 0;
  let joined!: () => void;
  const isJoined = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  let started: Promise<void> | undefined;
  return {
    start() {
      started = (async () => {
        await Promise.all([consumer.connect(), producer.connect()]);
        await consumer.subscribe({ topic: config.topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          partitionsConsumedConcurrently: config.concurrency,
          eachBatch: async ({ batch }) => {
            if (batch.messages.length === 0) return;
            if (handled === 0) send({ type: 'first', at: Date.now() });
            await relayBatch(consumer, producer, batch, config.output, config.sendRecords);
            handled += batch.messages.length;
          },
        });
      })();
      started.catch((error: unknown) => send({ type: 'error', message: String(error) }));
    },
    async ready() {
      await started;
      await isJoined;
      return { records: 0, partitions: [] };
    },
    get: async (keys) => keys.map(() => null),
    async stop() {
      await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    },
    handled: () => handled,
    transactions: async () => undefined,
  };
}

async function main(): Promise<void> {
  const text = process.env[WORKER_CONFIG_ENV];
  if (text === undefined || process.send === undefined) {
    console.error('bench worker: run by the bench over IPC only');
    process.exitCode = 2;
    return;
  }
  const config = JSON.parse(text) as WorkerConfig;
  const runner =
    config.mode === 'relay' ? relayRunner(config) : processorRunner(config, await storageFor(config), (await import('@goka/kafkajs')).KafkajsAdapter);
  let startedAt = 0;
  let stopping = false;
  let atPeak = memorySample();
  let sampler: NodeJS.Timeout | undefined;
  let cpu = process.cpuUsage();
  // The event loop's own CPU (Node ≥ 23.9): on a busy machine the main thread's CPU per message is the
  // steadiest measure of our own cost, since the event loop is what bounds a processor.
  const threadCpu = (): NodeJS.CpuUsage | undefined => (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  let mainCpu = threadCpu();
  process.on('message', (message: ToWorker) => {
    void (async () => {
      try {
        switch (message.type) {
          case 'start': {
            startedAt = now();
            cpu = process.cpuUsage();
            mainCpu = threadCpu();
            sampler = setInterval(() => {
              // The RSS alone every 20 ms (one read of /proc/self/stat); the rest at a new peak only.
              if (process.memoryUsage.rss() > atPeak.rss) atPeak = detailedSample(memorySample());
            }, 20);
            runner.start();
            const { records, partitions } = await runner.ready();
            send({ type: 'ready', ms: now() - startedAt, records, partitions });
            break;
          }
          case 'get':
            send({ type: 'values', values: await runner.get(message.keys) });
            break;
          case 'stop': {
            stopping = true;
            const peakRssKiB = ownPeakRssKiB();
            clearInterval(sampler);
            const memory = memorySample();
            if (memory.rss > atPeak.rss) atPeak = detailedSample(memory);
            const fileBacked = fileBackedBytes();
            if (fileBacked !== undefined) atPeak = { ...atPeak, fileBacked };
            const used = process.cpuUsage(cpu);
            const mainNow = threadCpu();
            const mainCpuMs =
              mainNow === undefined || mainCpu === undefined ? undefined : (mainNow.user - mainCpu.user + mainNow.system - mainCpu.system) / 1000;
            const transactions = await runner.transactions().catch(() => undefined);
            const stopStarted = now();
            await runner.stop();
            send({
              type: 'stopped',
              memory,
              atPeak,
              peakRssKiB,
              exitPeakRssKiB: ownPeakRssKiB(),
              handled: runner.handled(),
              cpuMs: (used.user + used.system) / 1000,
              mainCpuMs,
              stopMs: now() - stopStarted,
              transactions,
            });
            process.disconnect();
            break;
          }
        }
      } catch (error) {
        send({ type: 'error', message: String(error) });
      }
    })();
  });
  // The bench went away (killed, Ctrl-C) without stopping us: stop too, never linger in the background.
  process.once('disconnect', () => {
    if (!stopping) void runner.stop().finally(() => process.exit(1));
  });
  send({ type: 'loaded' });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
