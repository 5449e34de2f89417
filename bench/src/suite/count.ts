import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tableName } from '@goka/core';
import { createTopic, expectedCount, kafkajsAdmin, topicRecords, waitForCommits } from '../pipeline/phases.js';
import type { PipelineContext } from '../pipeline/phases.js';
import { benchKey } from '../support/fill.js';
import { mib, now, withTimeout } from '../support/measure.js';
import { cpuPressure } from '../support/pressure.js';
import { gokaName } from '../support/go-build.js';
import type { GokaBuild } from '../support/go-build.js';
import { GoWorkerProcess } from '../support/go-worker.js';
import type { GokaRetry } from '../support/go-worker.js';
import { WorkerProcess } from '../support/worker.js';
import type { BenchStorage, BenchTracing, MemorySample, WorkerTransactions } from '../worker/protocol.js';

/** One worker's own numbers. */
export interface WorkerNumbers {
  readonly pid: number | undefined;
  /** From `run()` until `waitForReady()` resolved (joined the group, tables recovered), ms. */
  readonly readyMs: number;
  /** Partitions it held when it became ready. */
  readonly partitions: readonly number[];
  readonly handled: number;
  /** The process' peak RSS (`VmHWM` on Linux, else `maxRSS`) when the phase ended, MiB. */
  readonly peakRssMiB: number;
  /** The same after stopping (closing RocksDB, leaving the group), MiB. */
  readonly exitPeakRssMiB: number;
  /** `process.memoryUsage()` at the end of the phase, MiB: JS heap vs the rest (native: RocksDB, buffers). */
  readonly memoryMiB: MemoryMiB;
  /** The same at the sample with the highest RSS (sampled every 20 ms). */
  readonly atPeakMiB: MemoryMiB;
  /** CPU time of the process from `run()` to the end of the phase (all threads), ms. */
  readonly cpuMs: number;
  /** The main thread's (event loop's) share of {@link cpuMs}, ms (`undefined` before Node 23.9). */
  readonly mainCpuMs: number | undefined;
  readonly stopMs: number;
  /** Exactly-once: the processor's transactions (committed, aborted, summed commit time) at the end. */
  readonly transactions: WorkerTransactions | undefined;
  /** Go Goka: the failed runs bench/goka started again (none for our workers). */
  readonly retries?: readonly GokaRetry[];
}

/** `process.memoryUsage()`'s numbers in MiB. */
export interface MemoryMiB {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** See {@link MemorySample.youngGeneration} (highest sample of Node workers only). */
  readonly youngGeneration?: number;
  /** See {@link MemorySample.fileBacked}. */
  readonly fileBacked?: number;
}

export function inMiB(sample: MemorySample): MemoryMiB {
  return {
    rss: mib(sample.rss),
    heapUsed: mib(sample.heapUsed),
    heapTotal: mib(sample.heapTotal),
    external: mib(sample.external),
    arrayBuffers: mib(sample.arrayBuffers),
    ...(sample.youngGeneration === undefined ? {} : { youngGeneration: mib(sample.youngGeneration) }),
    ...(sample.fileBacked === undefined ? {} : { fileBacked: mib(sample.fileBacked) }),
  };
}

/** What runs in the worker processes: our counting processor, the raw kafkajs passthrough, or Go Goka's processor. */
export type PipelineKind = 'processor' | 'raw' | 'goka';

/** The count pipeline (or the raw passthrough) with its instances in child processes. */
export interface WorkerCountResult {
  readonly kind: PipelineKind;
  /** The processors' guarantee (raw: `at-least-once`, it commits after the acks). */
  readonly guarantee: 'at-least-once' | 'exactly-once';
  /** The processors' `commitIntervalMs` (`undefined` for raw). */
  readonly commitIntervalMs: number | undefined;
  readonly instances: number;
  readonly label: string;
  readonly messages: number;
  /** From `run()` (sent to every worker at once) until the group's committed offsets reached every high-water mark. */
  readonly ms: number;
  /** Until the first message reached a handler. */
  readonly setupMs: number | undefined;
  readonly messagesPerSecond: number;
  /** Records in the group table topic (raw: the output topic) at completion (must equal the messages). */
  readonly produced: number;
  readonly workers: readonly WorkerNumbers[];
  /** Share of the phase's wall time during which some task waited for a CPU (Linux PSI): the machine's noise. */
  readonly cpuPressure: number | undefined;
  readonly wrongCounts: string | undefined;
}

/** Exactly-once count pipeline: the processors' `guarantee: 'exactly-once'` with this commit interval. */
export interface ExactlyOnceSpec {
  readonly commitIntervalMs: number;
}

/** The processor's default commit interval in exactly-once mode (Kafka Streams' too). */
export const EOS_DEFAULT_COMMIT_INTERVAL_MS = 100;

/** A count phase's label: `our Processor, count → RocksDB[, exactly-once[ (commit N ms)]], 1 process` (or → MemoryStorage). */
export function countLabel(kind: PipelineKind, instances: number, storage: BenchStorage, exactlyOnce?: ExactlyOnceSpec, tracing?: BenchTracing): string {
  const processes = instances === 1 ? '1 process' : `${instances} processes`;
  if (kind === 'raw') return `raw kafkajs consume→produce→commit, ${processes}`;
  if (kind === 'goka') return `Go Goka, count → LevelDB, ${processes}`;
  const eos =
    exactlyOnce === undefined
      ? ''
      : `, exactly-once${exactlyOnce.commitIntervalMs === EOS_DEFAULT_COMMIT_INTERVAL_MS ? '' : ` (commit ${exactlyOnce.commitIntervalMs} ms)`}`;
  const traced = tracing === undefined ? '' : `, traced (OpenTelemetry SDK, ${tracing.sampleRatio >= 1 ? 'every message' : `${tracing.sampleRatio * 100} % sampled`})`;
  const table = storage === 'memory' ? 'MemoryStorage (the table in the JS heap, no RocksDB)' : `RocksDB${storage === 'rocksdb' ? '' : ' (old binding)'}`;
  return `our Processor, count → ${table}${eos}${traced}, ${processes}`;
}

/** Go Goka's count pipeline (bench/goka `-mode count`), one process per instance. */
function gokaWorkers(goka: GokaBuild, context: PipelineContext, group: string, instances: number): Promise<GoWorkerProcess[]> {
  return Promise.all(
    Array.from({ length: instances }, (_, i) =>
      GoWorkerProcess.spawn(
        goka.binary,
        { mode: 'count', brokers: context.brokers, topic: context.topic, group, storagePath: join(context.storagePath, `${group}-${i}`),
          commitIntervalMs: context.commitIntervalMs, clientId: `bench-goka-${i}` },
        `${group}#${i}`,
      ),
    ),
  );
}

/**
 * (1, 2) The count pipeline — `defineGroup(group, input(topic, bytes, count), persist(int64))` on
 * RocksDB — or the raw kafkajs passthrough, with `instances` members of one group, each in its own
 * child process (so RSS and CPU are the pipeline's own, and both sides start from a fresh process);
 * timed like `bench:pipeline` (from `run()` until the committed offsets reach the high-water marks).
 */
export async function pipelineInWorkers(
  context: PipelineContext,
  kind: PipelineKind,
  instances: number,
  heartbeatIntervalMs?: number,
  storage: BenchStorage = 'rocksdb',
  exactlyOnce?: ExactlyOnceSpec,
  tracing?: BenchTracing,
): Promise<WorkerCountResult> {
  const group = `bench-${kind === 'processor' ? (exactlyOnce === undefined ? 'count' : 'eos') : kind}-${instances}p-${randomUUID().slice(0, 8)}`;
  const goka = context.goka;
  if (kind === 'goka' && goka === undefined) throw new Error('no Go Goka build');
  const commitIntervalMs = kind === 'raw' ? undefined : (exactlyOnce?.commitIntervalMs ?? context.commitIntervalMs);
  const output = kind === 'raw' ? `${group}-out` : tableName(group);
  if (kind === 'raw') await createTopic(context.brokers, output, context.partitions);
  const workers: ReadonlyArray<WorkerProcess | GoWorkerProcess> = kind === 'goka' && goka !== undefined ? await gokaWorkers(goka, context, group, instances) : await Promise.all(
    Array.from({ length: instances }, (_, i) =>
      WorkerProcess.spawn(
        kind === 'raw'
          ? { mode: 'relay', brokers: context.brokers, topic: context.topic, output, group, sendRecords: context.rawSendRecords, concurrency: context.rawConcurrency }
          : {
              mode: 'count',
              brokers: context.brokers,
              topic: context.topic,
              group,
              storagePath: join(context.storagePath, `${group}-${i}`),
              commitIntervalMs: commitIntervalMs ?? context.commitIntervalMs,
              ...(exactlyOnce === undefined ? {} : { guarantee: 'exactly-once' as const }),
              fetchPartitionBytes: context.fetchPartitionBytes,
              nodeFlags: context.workerNodeFlags,
              heartbeatIntervalMs,
              clientId: `bench-processor-${i}`,
              storage,
              tracing,
            },
        `${group}#${i}`,
      ),
    ),
  );
  const admin = kafkajsAdmin(context.brokers, 'bench-count-poll');
  await admin.connect();
  const controller = new AbortController();
  try {
    const startedEpoch = Date.now();
    const started = now();
    const pressure = cpuPressure();
    const readies = workers.map((worker) => worker.start());
    for (const ready of readies) ready.catch(() => undefined);
    const failures = workers.map((worker) => worker.failure());
    const doneAt = await withTimeout(
      `the count pipeline with ${instances} process(es)`,
      context.timeoutMs,
      Promise.race([waitForCommits(admin, group, context, controller.signal), ...failures]),
      () => controller.abort(),
    );
    const ms = doneAt - started;
    const pressureShare = pressure.stop();
    const produced = await topicRecords(admin, output);
    const ready = await Promise.all(readies);
    // Spot-check the first and the last key in whichever instance holds them.
    const keys = kind === 'raw' ? [] : [0, context.keys - 1];
    const check = async (): Promise<string[]> => {
      const answers = await Promise.all(workers.map((worker) => worker.get(keys.map(benchKey))));
      return keys
        .map((j, index) => {
          const value = answers.map((values) => values[index]).find((found) => found !== null && found !== undefined);
          const expected = expectedCount(j, context.messages, context.keys);
          return value === expected ? undefined : `${benchKey(j)} = ${String(value)}, expected ${expected}`;
        })
        .filter((line) => line !== undefined);
    };
    let wrong = await check();
    // Exactly-once: the last transaction's table writes reach the local store just after its commit
    // (which is what the offsets show): ask again for up to 2 s before calling a count wrong.
    const retries = exactlyOnce === undefined ? 0 : 10;
    for (let attempt = 0; wrong.length > 0 && attempt < retries; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      wrong = await check();
    }
    const stopped = await Promise.all(workers.map((worker) => worker.stop()));
    const firsts = workers.map((worker) => worker.firstAt).filter((at) => at !== undefined);
    const messages = stopped.reduce((sum, result) => sum + result.handled, 0);
    return {
      kind,
      guarantee: exactlyOnce === undefined ? 'at-least-once' : 'exactly-once',
      commitIntervalMs,
      instances,
      label: kind === 'goka' && goka !== undefined ? `${gokaName(goka)}, count → LevelDB, ${instances === 1 ? '1 process' : `${instances} processes`}` : countLabel(kind, instances, storage, exactlyOnce, tracing),
      messages,
      ms,
      setupMs: firsts.length === 0 ? undefined : Math.min(...firsts) - startedEpoch,
      messagesPerSecond: (context.messages * 1000) / ms,
      produced,
      workers: stopped.map((result, i) => ({
        pid: workers[i]?.pid,
        readyMs: Math.round(ready[i]?.ms ?? 0),
        partitions: ready[i]?.partitions ?? [],
        handled: result.handled,
        peakRssMiB: mib(result.peakRssKiB * 1024),
        exitPeakRssMiB: mib(result.exitPeakRssKiB * 1024),
        memoryMiB: inMiB(result.memory),
        atPeakMiB: inMiB(result.atPeak),
        cpuMs: Math.round(result.cpuMs),
        mainCpuMs: result.mainCpuMs === undefined ? undefined : Math.round(result.mainCpuMs),
        stopMs: Math.round(result.stopMs),
        transactions: result.transactions,
        ...(workers[i] instanceof GoWorkerProcess ? { retries: workers[i].retries } : {}),
      })),
      cpuPressure: pressureShare,
      wrongCounts: wrong.length === 0 ? undefined : wrong.join('; '),
    };
  } finally {
    controller.abort();
    for (const worker of workers) worker.kill();
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [output] }).catch(() => undefined);
    await admin.disconnect();
  }
}
