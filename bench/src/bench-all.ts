#!/usr/bin/env node
/**
 * `pnpm bench`: every benchmark of issue 8 in one run on one broker — the count pipeline next to the raw
 * kafkajs passthrough and Kafka's own perf tools, its scaling to two processes, a group table's
 * recovery, emit→View latency, and the processor processes' peak RSS — printed as one table with the
 * targets, and written as JSON and markdown to bench/results/. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { kafkajsAdmin, topicHwms } from './pipeline/phases.js';
import type { PipelineContext } from './pipeline/phases.js';
import { ourReader, prepareGroupCoordinator } from './recovery/phases.js';
import { brokerCeiling } from './suite/broker-ceiling.js';
import type { BrokerCeilingResult } from './suite/broker-ceiling.js';
import { pipelineInWorkers } from './suite/count.js';
import type { WorkerCountResult } from './suite/count.js';
import { codecSuite } from './suite/codecs.js';
import type { CodecResult } from './suite/codecs.js';
import { compressionSuite } from './suite/compression.js';
import type { CompressionResult } from './suite/compression.js';
import { latencySuite } from './suite/latency.js';
import type { LatencyResult } from './suite/latency-model.js';
import { parseSuiteOptions } from './suite/options.js';
import type { SuiteOptions } from './suite/options.js';
import { recoverySuite } from './suite/recovery.js';
import { storageSuite } from './suite/storage.js';
import type { StorageResult } from './suite/storage.js';
import type { RecoveryResult } from './suite/recovery.js';
import { markdownReport, summaryRows, summaryText } from './suite/report.js';
import { detailLines } from './suite/report-details.js';
import { TARGETS } from './suite/report-model.js';
import type { CountRounds, ExactlyOnceRounds, RunDescription, SuiteResults, TracedRounds } from './suite/report-model.js';
import { acquireBrokerSession } from './support/broker.js';
import type { BenchBroker } from './support/broker.js';
import { fillTable } from './support/fill.js';
import { buildGoka, gokaName } from './support/go-build.js';
import type { GokaBuild, GokaUnavailable } from './support/go-build.js';
import type { FillResult } from './support/fill.js';
import { duration, fileStamp, thousands } from './support/format.js';
import { machineLine, stampRun } from './support/machine.js';
import { now } from './support/measure.js';
import { cpuPressure } from './support/pressure.js';
import { runMain } from './support/run-main.js';

const log = (line: string): void => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

function median<T>(items: readonly T[], ms: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => ms(a) - ms(b));
  const found = sorted[Math.floor((sorted.length - 1) / 2)];
  if (found === undefined) throw new Error('no rounds');
  return found;
}

/**
 * Runs one phase; if it fails, logs and records the failure and resolves `undefined`, so the rest of
 * the suite still runs. A failed phase is a finding (often a library error), never retried silently.
 */
async function attempt<T>(what: string, failures: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
    log(`  ! ${message}`);
    failures.push(message);
    return undefined;
  }
}

function rounds(results: readonly WorkerCountResult[]): CountRounds | undefined {
  return results.length === 0
    ? undefined
    : {
        median: median(results, (r) => r.ms),
        roundMs: results.map((r) => r.ms),
        roundPeakRssMiB: results.map((r) => r.workers.map((w) => w.peakRssMiB)),
        roundRetries: results.map((r) => r.workers.flatMap((w) => w.retries ?? [])),
      };
}

interface CountPart {
  readonly fill: FillResult | undefined;
  readonly raw: CountRounds | undefined;
  readonly one: CountRounds | undefined;
  readonly goka: CountRounds | undefined;
  readonly inMemory: CountRounds | undefined;
  readonly exactlyOnce: readonly ExactlyOnceRounds[];
  readonly traced: readonly TracedRounds[];
  readonly two: CountRounds | undefined;
  readonly broker: BrokerCeilingResult | undefined;
}

/** Items 1 and 2 on one filled input topic. */
async function countPart(options: SuiteOptions, broker: BenchBroker, root: string, storageRoot: string, goka: GokaBuild | undefined, failures: string[]): Promise<CountPart> {
  const wants = (section: 'count' | 'scaling' | 'broker'): boolean => options.sections.includes(section);
  const topic = `bench-suite-input-${options.messages}-${randomUUID().slice(0, 8)}`;
  log(`count pipeline: ${thousands(options.messages)} messages × ${options.valueBytes} B over ${thousands(options.keys)} keys, ${options.partitions} partitions`);
  try {
    const fill = await fillTable(
      { brokers: broker.brokers, topic, partitions: options.partitions, records: options.messages, keys: options.keys, cleanupPolicy: 'delete', valueBytes: options.valueBytes, batchRecords: 2000 },
      log,
    );
    log(`  filled in ${duration(fill.ms)}`);
    await prepareGroupCoordinator(broker.brokers);
    const context: PipelineContext = {
      brokers: broker.brokers,
      topic,
      partitions: options.partitions,
      messages: options.messages,
      keys: options.keys,
      hwms: await topicHwms(broker.brokers, topic, options.partitions),
      timeoutMs: options.phaseTimeoutMs,
      rawSendRecords: 2000,
      rawConcurrency: options.partitions,
      commitIntervalMs: options.commitIntervalMs,
      fetchPartitionBytes: undefined,
      storagePath: storageRoot,
      goka,
    };
    const warmup = await ourReader({ brokers: broker.brokers, topic, partitions: options.partitions, records: options.messages, codec: 'bytes',
      timeoutMs: options.phaseTimeoutMs, fetchPartitionBytes: undefined, kafkajsPartitionBytes: undefined });
    log(`  warm-up read (not measured): ${duration(warmup.ms)}`);

    // Rounds interleave the phases, so slow spells of the shared machine hit all of them alike.
    const raws: WorkerCountResult[] = [];
    const ones: WorkerCountResult[] = [];
    const gokas: WorkerCountResult[] = [];
    const inMemory: WorkerCountResult[] = [];
    const twos: WorkerCountResult[] = [];
    const eos = options.eosCommitIntervalsMs.map((commitIntervalMs) => ({ commitIntervalMs, results: [] as WorkerCountResult[] }));
    const traced = options.tracingSampleRatios.map((sampleRatio) => ({ sampleRatio, results: [] as WorkerCountResult[] }));
    const needOne = wants('count') || wants('scaling');
    const report = (round: number, result: WorkerCountResult): void =>
      log(`  round ${round}: ${result.label}: ${thousands(result.messagesPerSecond)} msgs/s, peak RSS ${result.workers.map((w) => w.peakRssMiB).join(' / ')} MiB`);
    const phase = async (round: number, into: WorkerCountResult[], run: () => Promise<WorkerCountResult>, what: string): Promise<void> => {
      const result = await attempt(`round ${round}: ${what}`, failures, run);
      if (result === undefined) return;
      report(round, result);
      into.push(result);
    };
    for (let round = 1; round <= (needOne ? options.rounds : 0); round++) {
      if (wants('count')) await phase(round, raws, () => pipelineInWorkers(context, 'raw', 1), 'raw kafkajs passthrough, 1 process');
      await phase(round, ones, () => pipelineInWorkers(context, 'processor', 1, options.heartbeatIntervalMs), 'our Processor, 1 process');
      if (wants('count') && goka !== undefined) await phase(round, gokas, () => pipelineInWorkers(context, 'goka', 1), `${gokaName(goka)}, 1 process`);
      if (wants('count') && options.memoryTable) {
        await phase(round, inMemory, () => pipelineInWorkers(context, 'processor', 1, options.heartbeatIntervalMs, 'memory'), 'our Processor, table in MemoryStorage, 1 process');
      }
      for (const { commitIntervalMs, results } of wants('count') ? eos : []) {
        await phase(round, results, () => pipelineInWorkers(context, 'processor', 1, options.heartbeatIntervalMs, 'rocksdb', { commitIntervalMs }),
          `our Processor, exactly-once (commit ${commitIntervalMs} ms), 1 process`);
      }
      for (const { sampleRatio, results } of wants('count') ? traced : []) {
        await phase(round, results, () => pipelineInWorkers(context, 'processor', 1, options.heartbeatIntervalMs, 'rocksdb', undefined, { sampleRatio }),
          `our Processor, traced (sample ratio ${sampleRatio}), 1 process`);
      }
      if (wants('scaling')) await phase(round, twos, () => pipelineInWorkers(context, 'processor', 2, options.heartbeatIntervalMs), 'our Processor, 2 processes');
    }
    let ceiling: BrokerCeilingResult | undefined;
    if (wants('broker')) {
      log('broker ceiling (Kafka perf tools):');
      ceiling = await attempt('broker ceiling', failures, () =>
        brokerCeiling({ root, brokers: broker.brokers, inputTopic: topic, partitions: options.partitions, messages: options.messages, valueBytes: options.valueBytes,
          pairs: options.rounds, log }),
      );
    }
    return {
      fill,
      raw: rounds(raws),
      one: rounds(ones),
      goka: rounds(gokas),
      inMemory: rounds(inMemory),
      exactlyOnce: eos.flatMap(({ commitIntervalMs, results }) => {
        const found = rounds(results);
        return found === undefined ? [] : [{ commitIntervalMs, rounds: found }];
      }),
      traced: traced.flatMap(({ sampleRatio, results }) => {
        const found = rounds(results);
        return found === undefined ? [] : [{ sampleRatio, rounds: found }];
      }),
      two: rounds(twos),
      broker: ceiling,
    };
  } finally {
    const admin = kafkajsAdmin(broker.brokers, 'bench-suite-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Builds bench/goka when a section that runs it was asked for: `undefined` when none was (or
 * `--no-goka`); where `go` is missing, one line says so and the rest of the bench runs as before.
 */
async function gokaFor(options: SuiteOptions, dir: string, failures: string[]): Promise<GokaBuild | GokaUnavailable | undefined> {
  if (!options.goka || !options.sections.some((s) => s === 'count' || s === 'recovery')) return undefined;
  const build = await buildGoka(dir);
  if ('skipped' in build) log(`Go Goka: not run, ${build.skipped}`);
  else if ('failed' in build) {
    log(`  ! ${build.failed}`);
    failures.push(build.failed);
  } else log(`Go Goka: built ${gokaName(build)} with ${build.go} in ${duration(build.buildMs)}`);
  return build;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseSuiteOptions(argv);
  if (options === undefined) return 0;
  const started = now();
  const runStamp = stampRun();
  const { root, machine, revision, date } = runStamp;
  const loadAverage = loadavg();
  const pressure = cpuPressure();
  log(`pnpm bench: ${options.sections.join(', ')}; ${machineLine(runStamp)}`);

  const { broker, release } = await acquireBrokerSession({ port: options.port, keep: options.keepBroker, log });
  const storageRoot = await mkdtemp(join(tmpdir(), 'goka-bench-suite-'));
  try {
    const failures: string[] = [];
    // Go Goka (bench/goka) runs in the count and recovery sections; built once per run into the temp dir.
    const gokaBuild = await gokaFor(options, storageRoot, failures);
    const goka = gokaBuild !== undefined && 'binary' in gokaBuild ? gokaBuild : undefined;
    const count = options.sections.some((s) => s === 'count' || s === 'scaling' || s === 'broker')
      ? await countPart(options, broker, root, storageRoot, goka, failures)
      : undefined;
    let recovery: RecoveryResult | undefined;
    if (options.sections.includes('recovery')) {
      log(`recovery: a group table of ${thousands(options.recoveryRecords)} keys`);
      recovery = await attempt('recovery', failures, () =>
        recoverySuite({ brokers: broker.brokers, partitions: options.partitions, records: options.recoveryRecords, valueBytes: options.valueBytes,
          fillBatchRecords: 2000, storageRoot, timeoutMs: options.phaseTimeoutMs, warmup: true, log, goka,
          attempt: (what, run) => attempt(what, failures, run) }),
      );
    }
    let storage: StorageResult | undefined;
    if (options.sections.includes('storage')) {
      log(`storage: the count pipeline at ${options.partitions} and ${options.widePartitions} partitions per instance, old and new RocksDB binding, and recovery`);
      storage = await attempt('storage', failures, () =>
        storageSuite({ brokers: broker.brokers, messages: options.messages, keys: options.keys, valueBytes: options.valueBytes,
          partitions: [options.partitions, options.widePartitions], recoveryRecords: options.recoveryRecords, rounds: options.rounds,
          largeValues: options.largeMessages === 0 ? undefined : { messages: options.largeMessages, valueBytes: options.largeValueBytes },
          commitIntervalMs: options.commitIntervalMs, storageRoot, timeoutMs: options.phaseTimeoutMs, log,
          attempt: (what, run) => attempt(what, failures, run) }),
      );
    }
    let latency: LatencyResult | undefined;
    if (options.sections.includes('latency')) {
      log(`latency: ${options.latencyRate} msgs/s for ${options.latencyWarmupSeconds} s warm-up + ${options.latencySeconds} s measured`);
      latency = await attempt('latency', failures, () =>
        latencySuite({ brokers: broker.brokers, partitions: options.partitions, rate: options.latencyRate, seconds: options.latencySeconds,
          warmupSeconds: options.latencyWarmupSeconds, valueBytes: options.valueBytes, storageRoot, eosCommitIntervalsMs: options.eosCommitIntervalsMs, log }),
      );
    }
    let compression: CompressionResult | undefined;
    if (options.sections.includes('compression')) {
      log(`compression: ${thousands(options.compressionRecords)} JSON events per codec through an Emitter and a processor's outputs, ${options.rounds} rounds`);
      compression = await attempt('compression', failures, () =>
        compressionSuite({ brokers: broker.brokers, profile: broker.profile, records: options.compressionRecords, partitions: options.partitions,
          rounds: options.rounds, timeoutMs: options.phaseTimeoutMs, log, attempt: (what, run) => attempt(what, failures, run) }),
      );
    }

    let codecs: CodecResult | undefined;
    if (options.sections.includes('codecs')) {
      log('codecs: Schema Registry codecs against codecs.json, 7 interleaved rounds of 50,000 encodes and decodes');
      codecs = await attempt('codecs', failures, () => codecSuite(7, 50_000));
    }

    const results: SuiteResults = {
      countFill: count?.fill,
      raw: count?.raw,
      one: count?.one,
      goka: count?.goka,
      inMemory: count?.inMemory,
      gokaBuild,
      exactlyOnce: count?.exactlyOnce ?? [],
      traced: count?.traced ?? [],
      two: count?.two,
      broker: count?.broker,
      recovery,
      latency,
      storage,
      compression,
      codecs,
      failures,
    };
    const rows = summaryRows(results);
    const totalMs = now() - started;
    const runPressure = pressure.stop();
    console.log('');
    for (const line of detailLines(results, 'text')) console.log(line);
    console.log('summary:');
    console.log(summaryText(rows));
    for (const failure of failures) console.log(`! ${failure}`);
    console.log('');
    console.log(
      `whole run: ${duration(totalMs)}` +
        (runPressure === undefined ? '' : `; some task waited for a CPU during ${Math.round(runPressure * 100)}% of it (Linux PSI: the machine's noise)`),
    );

    if (!options.noJson) {
      const run: RunDescription = {
        date,
        revision,
        machine,
        kafkaVersion: broker.kafkaVersion,
        brokers: broker.brokers,
        brokerSource: broker.source,
        jvm: broker.jvm,
        loadAverage,
        cpuPressure: runPressure,
        command: ['pnpm bench', ...argv].join(' '),
        totalMs,
      };
      const dir = options.outDir ?? join(root, 'bench', 'results');
      await mkdir(dir, { recursive: true });
      const stamp = fileStamp(date);
      const json = join(dir, `bench-${stamp}.json`);
      const md = join(dir, `bench-${stamp}.md`);
      const report = { bench: 'suite', run: { ...run, date: date.toISOString(), totalMs: Math.round(totalMs) }, options, targets: TARGETS, summary: rows, results };
      await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(md, markdownReport(run, results, rows));
      await copyFile(json, join(dir, 'latest.json'));
      await copyFile(md, join(dir, 'latest.md'));
      console.log(`wrote ${relative(process.cwd(), json)}, ${relative(process.cwd(), md)} (and latest.json, latest.md)`);
    }
    return failures.length === 0 ? 0 : 1;
  } finally {
    await rm(storageRoot, { recursive: true, force: true });
    await release();
  }
}

runMain(main);
