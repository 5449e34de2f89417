#!/usr/bin/env node
/**
 * `pnpm bench:recovery`: how fast a View recovers a table, next to the raw kafkajs client on the
 * same broker in the same run. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecoveryOptions } from './recovery/options.js';
import type { RecoveryBenchOptions } from './recovery/options.js';
import { kafkajsConsumer, memoryFactory, prepareGroupCoordinator, ourReader, rocksDbFactory, viewRecovery } from './recovery/phases.js';
import type { PhaseContext, PhaseResult } from './recovery/phases.js';
import { buildReport, COLD_TARGET_RECORDS_PER_SECOND, medianRound, rate, resultNotes, resultTable } from './recovery/report.js';
import { acquireBrokerSession, cleanUpTopic } from './support/broker.js';
import { writeJsonResult } from './support/results.js';
import { runMain } from './support/run-main.js';
import { fillTable } from './support/fill.js';
import type { FillResult } from './support/fill.js';
import { duration, thousands } from './support/format.js';
import { machineLine, stampRun } from './support/machine.js';
import { mib, processPeakRss } from './support/measure.js';

const log = (line: string): void => console.log(line);

/** One round: every selected phase once, in the canonical order (the warm start reopens this round's RocksDB). */
async function runRound(options: RecoveryBenchOptions, context: PhaseContext, rocksDir: string): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const phase of options.phases) {
    let result: PhaseResult;
    switch (phase) {
      case 'kafkajs':
        result = await kafkajsConsumer(context);
        break;
      case 'reader':
        result = await ourReader(context);
        break;
      case 'view-rocksdb':
        result = await viewRecovery(context, {
          phase,
          label: 'View cold, RocksDB',
          storage: rocksDbFactory(rocksDir),
          expectedRecords: context.records,
        });
        break;
      case 'view-warm':
        result = await viewRecovery(context, {
          phase,
          label: 'View warm, RocksDB (restart)',
          storage: rocksDbFactory(rocksDir),
          expectedRecords: 0,
        });
        break;
      case 'view-memory':
        result = await viewRecovery(context, {
          phase,
          label: 'View cold, MemoryStorage',
          storage: memoryFactory(),
          expectedRecords: context.records,
        });
        break;
    }
    const speed = result.records === 0 ? '' : `, ${thousands((result.records * 1000) / result.ms)} records/s`;
    log(`  ${result.label}: ${thousands(result.records)} records in ${duration(result.ms)}${speed}`);
    results.push(result);
  }
  return results;
}

/** Runs `options.rounds` rounds and returns every phase's results, in phase order. */
async function runRounds(options: RecoveryBenchOptions, context: PhaseContext, dbRoot: string): Promise<PhaseResult[][]> {
  const byPhase = new Map<string, PhaseResult[]>();
  for (let round = 1; round <= options.rounds; round++) {
    log(`round ${round} of ${options.rounds}`);
    const rocksDir = join(dbRoot, `rocksdb-${round}`);
    for (const result of await runRound(options, context, rocksDir)) {
      let list = byPhase.get(result.phase);
      if (list === undefined) byPhase.set(result.phase, (list = []));
      list.push(result);
    }
    await rm(rocksDir, { recursive: true, force: true });
  }
  return [...byPhase.values()];
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseRecoveryOptions(argv);
  if (options === undefined) return 0;
  if (options.phases.includes('view-warm') && !options.phases.includes('view-rocksdb')) {
    throw new Error('phase view-warm restarts the RocksDB store of phase view-rocksdb: run both');
  }
  const run = stampRun();
  const { root, machine, revision, date } = run;
  log(
    `view recovery bench: ${thousands(options.records)} records × ${options.valueBytes} B, ${options.partitions} partitions, ` +
      `codec ${options.codec}; ${machineLine(run)}`,
  );

  const { broker, release } = await acquireBrokerSession({ port: options.port, keep: options.keepBroker, log });

  const topic = options.topic ?? `bench-view-recovery-${options.records}-${randomUUID().slice(0, 8)}`;
  const dbRoot = await mkdtemp(join(tmpdir(), 'goka-bench-recovery-'));
  let fill: FillResult | undefined;
  try {
    fill = await fillTable(
      { brokers: broker.brokers, topic, partitions: options.partitions, records: options.records, valueBytes: options.valueBytes, batchRecords: options.fillBatchRecords },
      log,
    );
    if (fill.filled) {
      log(`  filled ${thousands(fill.records)} records in ${duration(fill.ms)}: ${thousands((fill.records * 1000) / fill.ms)} records/s, ` +
        `${(mib(fill.bytes) / (fill.ms / 1000)).toFixed(1)} MiB/s`);
    }
    const context: PhaseContext = {
      brokers: broker.brokers,
      topic,
      partitions: options.partitions,
      records: fill.records,
      codec: options.codec,
      timeoutMs: options.phaseTimeoutMs,
      fetchPartitionBytes: options.fetchPartitionBytes,
      kafkajsPartitionBytes: options.kafkajsPartitionBytes,
    };
    if (options.phases.includes('kafkajs')) await prepareGroupCoordinator(broker.brokers);
    if (options.warmup) {
      // A fresh broker has only compiled its produce path, and Node has not decoded a fetch yet.
      const warmup = await ourReader(context);
      log(`warm-up (not measured): read ${thousands(warmup.records)} records in ${duration(warmup.ms)}`);
    }
    const rounds = await runRounds(options, context, dbRoot);
    const rated = rate(rounds.map(medianRound));
    const peak = processPeakRss();

    log('');
    log(options.rounds === 1 ? 'results:' : `results (each phase's median of ${options.rounds} rounds by time):`);
    log(resultTable(fill, rated));
    for (const note of resultNotes(rated, options.rounds)) log(note);
    log('');
    log(`process peak RSS: ${mib(peak).toFixed(0)} MiB`);
    const cold = rated.find((result) => result.phase === 'view-rocksdb');
    if (cold?.recordsPerSecond !== undefined) {
      const verdict = cold.recordsPerSecond >= COLD_TARGET_RECORDS_PER_SECOND ? 'meets' : 'misses';
      log(`cold RocksDB recovery ${thousands(cold.recordsPerSecond)} records/s ${verdict} the target of ${thousands(COLD_TARGET_RECORDS_PER_SECOND)} records/s`);
    }

    if (!options.noJson) {
      const report = buildReport({ date, revision, machine, broker, options, fill, rated, processPeakRssBytes: peak });
      await writeJsonResult(report, { root, name: 'view-recovery', date, out: options.out }, log);
    }
    return 0;
  } finally {
    await rm(dbRoot, { recursive: true, force: true });
    // A topic the bench created goes: deleted from a broker that stays, or with a broker the bench stops.
    const created = fill?.filled === true;
    const keepTopic = options.keepTopic || options.keepBroker || options.topic !== undefined;
    await cleanUpTopic({ broker, topic, created, keep: keepTopic, what: 'table topic', log });
    await release();
  }
}

runMain(main);
