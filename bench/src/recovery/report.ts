import type { BenchBroker } from '../support/broker.js';
import type { FillResult } from '../support/fill.js';
import { duration, labelThenNumbers, ratio, renderTable, thousands } from '../support/format.js';
import type { MachineDescription } from '../support/machine.js';
import { mib, peakAndGrowthMiB } from '../support/measure.js';
import type { RecoveryBenchOptions } from './options.js';
import type { PhaseResult } from './phases.js';

/** The target for a cold view recovery. */
export const COLD_TARGET_RECORDS_PER_SECOND = 150_000;

/** A phase's median round, with the times of all its rounds. */
export interface AggregatedPhase extends PhaseResult {
  /** Wall time of every round, in round order. */
  readonly roundMs: readonly number[];
  /** Rounds in which a view reported `running` before it had applied every record. */
  readonly earlyRunningRounds: number;
}

/** The median round of one phase by wall time (the lower middle one for an even count). */
export function medianRound(rounds: readonly PhaseResult[]): AggregatedPhase {
  const sorted = [...rounds].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (median === undefined) throw new Error('a phase without rounds');
  return {
    ...median,
    roundMs: rounds.map((round) => round.ms),
    earlyRunningRounds: rounds.filter((round) => round.details['runningEarlyMs'] !== undefined).length,
  };
}

export interface RatedPhase extends AggregatedPhase {
  /** `records / ms`, per second; `undefined` when the phase applied no records (warm start). */
  readonly recordsPerSecond: number | undefined;
  /** `records / (ms - setupMs)`: the streaming rate once records flow. */
  readonly recordsPerSecondAfterSetup: number | undefined;
  /** `recordsPerSecond` over the kafkajs consumer's (> 1: ours is faster). */
  readonly ratioToKafkajs: number | undefined;
  readonly ratioToKafkajsAfterSetup: number | undefined;
  /** CPU time of the process per record, µs; `undefined` without records. */
  readonly cpuMicrosPerRecord: number | undefined;
  /** The kafkajs consumer's CPU per record over ours (> 1: ours needs less CPU per record). */
  readonly cpuRatioToKafkajs: number | undefined;
}

function perSecond(records: number, ms: number | undefined): number | undefined {
  return records === 0 || ms === undefined || ms <= 0 ? undefined : (records * 1000) / ms;
}

/** Adds rates and the ratios against the kafkajs consumer (when it ran). */
export function rate(results: readonly AggregatedPhase[]): RatedPhase[] {
  const baseline = results.find((result) => result.phase === 'kafkajs');
  const baseRate = baseline === undefined ? undefined : perSecond(baseline.records, baseline.ms);
  const baseSteady =
    baseline === undefined ? undefined : perSecond(baseline.records, baseline.ms - (baseline.setupMs ?? 0));
  const cpuPerRecord = (result: PhaseResult): number | undefined =>
    result.records === 0 ? undefined : (result.cpuMs * 1000) / result.records;
  const baseCpu = baseline === undefined ? undefined : cpuPerRecord(baseline);
  return results.map((result) => {
    const recordsPerSecond = perSecond(result.records, result.ms);
    const recordsPerSecondAfterSetup = perSecond(result.records, result.ms - (result.setupMs ?? 0));
    const over = (ours: number | undefined, base: number | undefined): number | undefined =>
      ours === undefined || base === undefined ? undefined : ours / base;
    const cpuMicrosPerRecord = cpuPerRecord(result);
    return {
      ...result,
      recordsPerSecond,
      recordsPerSecondAfterSetup,
      ratioToKafkajs: over(recordsPerSecond, baseRate),
      ratioToKafkajsAfterSetup: over(recordsPerSecondAfterSetup, baseSteady),
      cpuMicrosPerRecord,
      cpuRatioToKafkajs: over(baseCpu, cpuMicrosPerRecord),
    };
  });
}

const optional = (n: number | undefined, format: (n: number) => string): string => (n === undefined ? '—' : format(n));

/** Notes under the table: views that reported `running` too early. */
export function resultNotes(rated: readonly RatedPhase[], rounds: number): string[] {
  return rated
    .filter((result) => result.earlyRunningRounds > 0)
    .map(
      (result) =>
        `! ${result.label}: reported running before all records were applied in ${result.earlyRunningRounds} of ${rounds} ` +
        'round(s); its time is measured until every record was applied',
    );
}

/** The results table as printed. */
export function resultTable(fill: FillResult, rated: readonly RatedPhase[]): string {
  const rows: string[][] = [];
  if (fill.filled) {
    rows.push([
      `fill: our Emitter, ${thousands(fill.batchRecords)}-record sends`,
      thousands(fill.records),
      duration(fill.ms),
      '—',
      thousands((fill.records * 1000) / fill.ms),
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
    ]);
  }
  for (const result of rated) {
    rows.push([
      result.label,
      thousands(result.records),
      duration(result.ms),
      optional(result.setupMs, duration),
      optional(result.recordsPerSecond, thousands),
      result.phase === 'kafkajs' ? '1.00× (base)' : ratio(result.ratioToKafkajs),
      optional(result.recordsPerSecondAfterSetup, thousands),
      result.phase === 'kafkajs' ? '1.00× (base)' : ratio(result.ratioToKafkajsAfterSetup),
      `${duration(result.cpuMs)} (${Math.round((result.cpuMs / result.ms) * 100)}%)`,
      optional(result.cpuMicrosPerRecord, (us) => `${us.toFixed(2)} µs`),
      result.phase === 'kafkajs' ? '1.00× (base)' : ratio(result.cpuRatioToKafkajs),
      peakAndGrowthMiB(result.peakRssBytes, result.startRssBytes),
    ]);
  }
  return renderTable(
    labelThenNumbers('phase', 'records', 'time', 'setup', 'records/s', 'ours/kafkajs', 'rec/s after setup', 'ours/kafkajs', 'CPU (of wall)', 'CPU/record', 'ours/kafkajs', 'RSS peak (+growth) MiB'),
    rows,
  );
}

export interface RecoveryReport {
  readonly bench: 'view-recovery';
  readonly date: string;
  readonly revision: string | undefined;
  readonly machine: MachineDescription;
  readonly kafka: {
    readonly version: string;
    readonly brokers: readonly string[];
    readonly source: BenchBroker['source'];
    readonly jvm: string | undefined;
    readonly profile: string | undefined;
  };
  readonly config: {
    readonly records: number;
    readonly partitions: number;
    readonly valueBytes: number;
    readonly codec: string;
    readonly phases: readonly string[];
    readonly rounds: number;
    readonly warmup: boolean;
    readonly fetchPartitionBytes: number | undefined;
    readonly kafkajsPartitionBytes: number | undefined;
  };
  readonly fill:
    | {
        readonly records: number;
        readonly ms: number;
        readonly recordsPerSecond: number;
        readonly mibPerSecond: number;
        readonly batchRecords: number;
      }
    | undefined;
  readonly results: ReadonlyArray<Record<string, unknown>>;
  readonly processPeakRssMiB: number;
  readonly target: { readonly coldRecordsPerSecond: number; readonly coldRocksDbMet: boolean | undefined };
}

const round = (n: number | undefined, digits = 0): number | undefined =>
  n === undefined ? undefined : Math.round(n * 10 ** digits) / 10 ** digits;

/** The JSON result: small, rounded, one entry per phase. */
export function buildReport(input: {
  readonly date: Date;
  readonly revision: string | undefined;
  readonly machine: MachineDescription;
  readonly broker: BenchBroker;
  readonly options: RecoveryBenchOptions;
  readonly fill: FillResult;
  readonly rated: readonly RatedPhase[];
  readonly processPeakRssBytes: number;
}): RecoveryReport {
  const { broker, options, fill, rated } = input;
  const cold = rated.find((result) => result.phase === 'view-rocksdb');
  return {
    bench: 'view-recovery',
    date: input.date.toISOString(),
    revision: input.revision,
    machine: input.machine,
    kafka: {
      version: broker.kafkaVersion,
      brokers: broker.brokers,
      source: broker.source,
      jvm: broker.jvm,
      profile: broker.profile,
    },
    config: {
      records: options.records,
      partitions: options.partitions,
      valueBytes: options.valueBytes,
      codec: options.codec,
      phases: options.phases,
      rounds: options.rounds,
      warmup: options.warmup,
      fetchPartitionBytes: options.fetchPartitionBytes,
      kafkajsPartitionBytes: options.kafkajsPartitionBytes,
    },
    fill: fill.filled
      ? {
          records: fill.records,
          ms: Math.round(fill.ms),
          recordsPerSecond: Math.round((fill.records * 1000) / fill.ms),
          mibPerSecond: round(mib(fill.bytes) / (fill.ms / 1000), 1) ?? 0,
          batchRecords: fill.batchRecords,
        }
      : undefined,
    results: rated.map((result) => ({
      phase: result.phase,
      label: result.label,
      records: result.records,
      ms: Math.round(result.ms),
      setupMs: round(result.setupMs),
      recordsPerSecond: round(result.recordsPerSecond),
      recordsPerSecondAfterSetup: round(result.recordsPerSecondAfterSetup),
      ratioToKafkajs: round(result.ratioToKafkajs, 3),
      ratioToKafkajsAfterSetup: round(result.ratioToKafkajsAfterSetup, 3),
      cpuMs: Math.round(result.cpuMs),
      cpuMicrosPerRecord: round(result.cpuMicrosPerRecord, 2),
      cpuRatioToKafkajs: round(result.cpuRatioToKafkajs, 3),
      peakRssMiB: Math.round(mib(result.peakRssBytes)),
      startRssMiB: Math.round(mib(result.startRssBytes)),
      roundMs: result.roundMs.map((ms) => Math.round(ms)),
      earlyRunningRounds: result.earlyRunningRounds,
      ...result.details,
    })),
    processPeakRssMiB: Math.round(mib(input.processPeakRssBytes)),
    target: {
      coldRecordsPerSecond: COLD_TARGET_RECORDS_PER_SECOND,
      coldRocksDbMet: cold?.recordsPerSecond === undefined ? undefined : cold.recordsPerSecond >= COLD_TARGET_RECORDS_PER_SECOND,
    },
  };
}
