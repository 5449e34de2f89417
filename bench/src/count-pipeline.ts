#!/usr/bin/env node
/**
 * `pnpm bench:pipeline`: a Processor counting messages per key into a RocksDB group table, next to a
 * raw kafkajs consume→produce→commit passthrough on the same broker and data in the same run.
 * See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePipelineOptions } from './pipeline/options.js';
import type { PipelineBenchOptions } from './pipeline/options.js';
import { POLL_MS, processorCount, rawPassthrough, topicHwms } from './pipeline/phases.js';
import type { PipelineContext, PipelineResult } from './pipeline/phases.js';
import { ourReader, prepareGroupCoordinator } from './recovery/phases.js';
import { acquireBrokerSession, cleanUpTopic } from './support/broker.js';
import { writeJsonResult } from './support/results.js';
import { runMain } from './support/run-main.js';
import type { BenchBroker } from './support/broker.js';
import { fillTable } from './support/fill.js';
import type { FillResult } from './support/fill.js';
import { duration, labelThenNumbers, ratio, renderTable, thousands } from './support/format.js';
import { machineLine, stampRun } from './support/machine.js';
import type { MachineDescription } from './support/machine.js';
import { mib, peakAndGrowthMiB, processPeakRss } from './support/measure.js';

/** The target: our count pipeline at least this share of the raw passthrough's rate. */
export const TARGET_RATIO = 0.8;

const log = (line: string): void => console.log(line);

interface RatedResult extends PipelineResult {
  readonly messagesPerSecond: number;
  readonly messagesPerSecondAfterSetup: number | undefined;
  readonly ratioToRaw: number | undefined;
  readonly ratioToRawAfterSetup: number | undefined;
  readonly cpuMicrosPerMessage: number;
}

function rate(results: readonly PipelineResult[]): RatedResult[] {
  const perSecond = (n: number, ms: number | undefined): number | undefined => (ms === undefined || ms <= 0 ? undefined : (n * 1000) / ms);
  const raw = results.find((result) => result.phase === 'raw');
  const rawRate = raw === undefined ? undefined : perSecond(raw.messages, raw.ms);
  const rawSteady = raw === undefined ? undefined : perSecond(raw.messages, raw.ms - (raw.setupMs ?? 0));
  const over = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a / b);
  return results.map((result) => {
    const messagesPerSecond = perSecond(result.messages, result.ms) ?? 0;
    const messagesPerSecondAfterSetup = perSecond(result.messages, result.ms - (result.setupMs ?? 0));
    return {
      ...result,
      messagesPerSecond,
      messagesPerSecondAfterSetup,
      ratioToRaw: over(messagesPerSecond, rawRate),
      ratioToRawAfterSetup: over(messagesPerSecondAfterSetup, rawSteady),
      cpuMicrosPerMessage: result.messages === 0 ? 0 : (result.cpuMs * 1000) / result.messages,
    };
  });
}

function resultTable(fill: FillResult, rated: readonly RatedResult[]): string {
  const rows: string[][] = [];
  if (fill.filled) {
    rows.push([`fill: our Emitter, ${thousands(fill.batchRecords)}-record sends`, thousands(fill.records), duration(fill.ms), '—',
      thousands((fill.records * 1000) / fill.ms), '—', '—', '—', '—', '—', '—', '—']);
  }
  for (const result of rated) {
    const base = result.phase === 'raw';
    rows.push([
      result.label,
      thousands(result.messages),
      duration(result.ms),
      result.setupMs === undefined ? '—' : duration(result.setupMs),
      thousands(result.messagesPerSecond),
      base ? '1.00× (base)' : ratio(result.ratioToRaw),
      result.messagesPerSecondAfterSetup === undefined ? '—' : thousands(result.messagesPerSecondAfterSetup),
      base ? '1.00× (base)' : ratio(result.ratioToRawAfterSetup),
      `${duration(result.cpuMs)} (${Math.round((result.cpuMs / result.ms) * 100)}%)`,
      `${result.cpuMicrosPerMessage.toFixed(2)} µs`,
      peakAndGrowthMiB(result.peakRssBytes, result.startRssBytes),
      thousands(result.produced),
    ]);
  }
  return renderTable(
    labelThenNumbers('phase', 'messages', 'time', 'setup', 'msgs/s', 'ours/raw', 'msgs/s after setup', 'ours/raw', 'CPU (of wall)', 'CPU/msg', 'RSS peak (+growth) MiB', 'produced'),
    rows,
  );
}

const round = (n: number | undefined, digits = 0): number | undefined => (n === undefined ? undefined : Math.round(n * 10 ** digits) / 10 ** digits);

function buildReport(input: {
  readonly date: Date;
  readonly revision: string | undefined;
  readonly machine: MachineDescription;
  readonly broker: BenchBroker;
  readonly options: PipelineBenchOptions;
  readonly fill: FillResult;
  readonly rated: readonly RatedResult[];
  readonly processPeakRssBytes: number;
}): Record<string, unknown> {
  const { broker, options, fill, rated } = input;
  const ours = rated.find((result) => result.phase === 'processor');
  return {
    bench: 'count-pipeline',
    date: input.date.toISOString(),
    revision: input.revision,
    machine: input.machine,
    kafka: { version: broker.kafkaVersion, brokers: broker.brokers, source: broker.source, jvm: broker.jvm, profile: broker.profile },
    config: {
      messages: options.messages,
      keys: options.keys,
      partitions: options.partitions,
      valueBytes: options.valueBytes,
      rawSendRecords: options.rawSendRecords,
      rawConcurrency: options.rawConcurrency,
      commitIntervalMs: options.commitIntervalMs,
      fetchPartitionBytes: options.fetchPartitionBytes,
      completionPollMs: POLL_MS,
      phases: options.phases,
      warmup: options.warmup,
    },
    fill: !fill.filled ? undefined : {
      records: fill.records,
      ms: Math.round(fill.ms),
      recordsPerSecond: Math.round((fill.records * 1000) / fill.ms),
      mibPerSecond: round(mib(fill.bytes) / (fill.ms / 1000), 1),
      batchRecords: fill.batchRecords,
    },
    results: rated.map((result) => ({
      phase: result.phase,
      label: result.label,
      messages: result.messages,
      ms: Math.round(result.ms),
      setupMs: round(result.setupMs),
      messagesPerSecond: round(result.messagesPerSecond),
      messagesPerSecondAfterSetup: round(result.messagesPerSecondAfterSetup),
      ratioToRaw: round(result.ratioToRaw, 3),
      ratioToRawAfterSetup: round(result.ratioToRawAfterSetup, 3),
      cpuMs: Math.round(result.cpuMs),
      cpuMicrosPerMessage: round(result.cpuMicrosPerMessage, 2),
      peakRssMiB: Math.round(mib(result.peakRssBytes)),
      startRssMiB: Math.round(mib(result.startRssBytes)),
      produced: result.produced,
      stopMs: Math.round(result.stopMs),
      ...result.details,
    })),
    processPeakRssMiB: Math.round(mib(input.processPeakRssBytes)),
    target: { ratioToRaw: TARGET_RATIO, met: ours?.ratioToRaw === undefined ? undefined : ours.ratioToRaw >= TARGET_RATIO },
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parsePipelineOptions(argv);
  if (options === undefined) return 0;
  const run = stampRun();
  const { root, machine, revision, date } = run;
  log(
    `count pipeline bench: ${thousands(options.messages)} messages × ${options.valueBytes} B over ${thousands(options.keys)} keys, ` +
      `${options.partitions} partitions; ${machineLine(run)}`,
  );

  const { broker, release } = await acquireBrokerSession({ port: options.port, keep: options.keepBroker, log });

  const topic = options.topic ?? `bench-count-input-${options.messages}-${randomUUID().slice(0, 8)}`;
  const dbRoot = await mkdtemp(join(tmpdir(), 'goka-bench-pipeline-'));
  let filled = false;
  try {
    const fill = await fillTable(
      {
        brokers: broker.brokers,
        topic,
        partitions: options.partitions,
        records: options.messages,
        keys: options.keys,
        cleanupPolicy: 'delete',
        valueBytes: options.valueBytes,
        batchRecords: options.fillBatchRecords,
      },
      log,
    );
    filled = fill.filled;
    if (fill.filled) log(`  filled ${thousands(fill.records)} messages in ${duration(fill.ms)}: ${thousands((fill.records * 1000) / fill.ms)} messages/s`);
    await prepareGroupCoordinator(broker.brokers);
    const context: PipelineContext = {
      brokers: broker.brokers,
      topic,
      partitions: options.partitions,
      messages: options.messages,
      keys: options.keys,
      hwms: await topicHwms(broker.brokers, topic, options.partitions),
      timeoutMs: options.phaseTimeoutMs,
      rawSendRecords: options.rawSendRecords,
      rawConcurrency: options.rawConcurrency,
      commitIntervalMs: options.commitIntervalMs,
      fetchPartitionBytes: options.fetchPartitionBytes,
      storagePath: join(dbRoot, 'rocksdb'),
    };
    if (options.warmup) {
      const warmup = await ourReader({
        brokers: broker.brokers,
        topic,
        partitions: options.partitions,
        records: options.messages,
        codec: 'bytes',
        timeoutMs: options.phaseTimeoutMs,
        fetchPartitionBytes: undefined,
        kafkajsPartitionBytes: undefined,
      });
      log(`warm-up (not measured): read ${thousands(warmup.records)} messages in ${duration(warmup.ms)}`);
    }

    const results: PipelineResult[] = [];
    for (const phase of options.phases) {
      const result = phase === 'raw' ? await rawPassthrough(context) : await processorCount(context, phase === 'processor-traced');
      log(
        `  ${result.label}: ${thousands(result.messages)} messages in ${duration(result.ms)}, ` +
          `${thousands((result.messages * 1000) / result.ms)} messages/s (stop ${duration(result.stopMs)})`,
      );
      if (result.produced !== options.messages) log(`  ! ${result.label}: ${thousands(result.produced)} records produced, expected ${thousands(options.messages)}`);
      if (result.details['wrongCounts'] !== undefined) log(`  ! ${result.label}: wrong counts: ${String(result.details['wrongCounts'])}`);
      results.push(result);
    }
    const rated = rate(results);
    const peak = processPeakRss();

    log('');
    log('results:');
    log(resultTable(fill, rated));
    log('');
    log(`process peak RSS: ${mib(peak).toFixed(0)} MiB (includes the fill and the warm-up)`);
    const ours = rated.find((result) => result.phase === 'processor');
    if (ours?.ratioToRaw !== undefined) {
      const verdict = ours.ratioToRaw >= TARGET_RATIO ? 'meets' : 'misses';
      log(`our count pipeline runs at ${ours.ratioToRaw.toFixed(3)}× the raw passthrough: ${verdict} the target of ${ratio(TARGET_RATIO)}`);
    }

    if (!options.noJson) {
      const report = buildReport({ date, revision, machine, broker, options, fill, rated, processPeakRssBytes: peak });
      await writeJsonResult(report, { root, name: 'count-pipeline', date, out: options.out }, log);
    }
    return 0;
  } finally {
    await rm(dbRoot, { recursive: true, force: true });
    await cleanUpTopic({ broker, topic, created: filled, keep: options.keepBroker, what: 'input topic', log });
    await release();
  }
}

runMain(main);
