import type { FillResult } from '../support/fill.js';
import type { GokaBuild, GokaUnavailable } from '../support/go-build.js';
import type { GokaRetry } from '../support/go-worker.js';
import { thousands } from '../support/format.js';
import type { MachineDescription } from '../support/machine.js';
import type { BrokerCeilingResult } from './broker-ceiling.js';
import type { CodecResult } from './codecs.js';
import type { CompressionResult } from './compression.js';
import type { WorkerCountResult } from './count.js';
import type { LatencyResult } from './latency-model.js';
import type { RecoveryResult } from './recovery.js';
import type { StorageResult } from './storage.js';

/** The targets. */
export const TARGETS = {
  countRatioToRaw: 0.8,
  coldRecoveryRecordsPerSecond: 150_000,
  p99LatencyMs: 50,
  /** Storage: the count pipeline at the wide partition count vs the narrow one, one instance. */
  wideRatio: 0.8,
  /** Storage: peak RSS of one instance at the wide partition count, MiB. */
  wideRssMiB: 400,
  /** Issue 21: peak RSS of the processor process counting 10,000 messages of 100 KiB. */
  largeValuesRssMiB: 300,
  /** Exactly-once (issue 16): the count pipeline's msgs/s against at-least-once in the same run. */
  exactlyOnceRatio: 0.7,
  /** Tracing (issue 19): the count pipeline with an OpenTelemetry SDK tracing every message vs none, same run. */
  tracedRatio: 0.8,
  /** Issue 21: the count pipeline (1 process) against Go Goka's, msgs/s in the same run. */
  gokaRatio: 1.5,
  /** Issue 21: peak RSS of the count pipeline's process (1 process), MiB. */
  countRssMiB: 300,
  /** Issue 21: peak RSS of the cold recovery's process, MiB. */
  recoveryRssMiB: 250,
} as const;

/** One phase over its rounds: the median round by time, and every round's time. */
export interface CountRounds {
  readonly median: WorkerCountResult;
  readonly roundMs: readonly number[];
  /** Every round's peak RSS per process, MiB (the target is checked on the highest). */
  readonly roundPeakRssMiB: ReadonlyArray<readonly number[]>;
  /** Go Goka: every round's failed runs that bench/goka started again (empty for ours). */
  readonly roundRetries?: ReadonlyArray<readonly GokaRetry[]>;
}

/** The exactly-once count pipeline (1 process) at one commit interval, over the rounds. */
export interface ExactlyOnceRounds {
  readonly commitIntervalMs: number;
  readonly rounds: CountRounds;
}

/** The count pipeline (1 process) with an OpenTelemetry SDK at one sample ratio, over the rounds. */
export interface TracedRounds {
  readonly sampleRatio: number;
  readonly rounds: CountRounds;
}

export interface SuiteResults {
  readonly countFill: FillResult | undefined;
  readonly raw: CountRounds | undefined;
  readonly one: CountRounds | undefined;
  /** Issue 21: Go Goka's count pipeline (bench/goka), in the same rounds as `raw` and `one`. */
  readonly goka?: CountRounds | undefined;
  /** Issue 21: the Go Goka build of the run, or why there is none (`undefined`: not asked for). */
  readonly gokaBuild?: GokaBuild | GokaUnavailable | undefined;
  /** Issue 15: the count pipeline with its table in `MemoryStorage` (what RocksDB costs), same rounds. */
  readonly inMemory?: CountRounds | undefined;
  /** Issue 16: the count pipeline in exactly-once mode, one entry per commit interval (the first is the target's). */
  readonly exactlyOnce?: readonly ExactlyOnceRounds[];
  /** Issue 19: the count pipeline traced, one entry per sample ratio (the first is the target's). */
  readonly traced?: readonly TracedRounds[];
  readonly two: CountRounds | undefined;
  readonly broker: BrokerCeilingResult | undefined;
  readonly recovery: RecoveryResult | undefined;
  readonly latency: LatencyResult | undefined;
  readonly storage: StorageResult | undefined;
  readonly compression?: CompressionResult | undefined;
  /** Issue 20: Schema Registry codecs against JSON, ns per record. */
  readonly codecs?: CodecResult | undefined;
  /** Phases that failed (their rounds are missing from the results): findings, not noise. */
  readonly failures: readonly string[];
}

export interface RunDescription {
  readonly date: Date;
  readonly revision: string | undefined;
  readonly machine: MachineDescription;
  readonly kafkaVersion: string;
  readonly brokers: readonly string[];
  readonly brokerSource: string;
  readonly jvm: string | undefined;
  readonly loadAverage: readonly number[];
  /** Share of the run's wall time during which some task waited for a CPU (Linux PSI); `undefined` without PSI. */
  readonly cpuPressure: number | undefined;
  readonly command: string;
  readonly totalMs: number;
}

export type Verdict = 'met' | 'missed' | '';

/** One line of the combined table. */
export interface SummaryRow {
  readonly item: string;
  readonly measurement: string;
  readonly ours: string;
  readonly reference: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict;
}

export const times = (value: number): string => `${value.toFixed(3)}×`;
export const verdict = (met: boolean): Verdict => (met ? 'met' : 'missed');

/** A summary row comparing two rates (and their ratio); without `target` it has none and no verdict. */
export function rateRow(item: string, measurement: string, ours: number, reference: number, target?: { readonly text: string; readonly met: boolean }): SummaryRow {
  return {
    item,
    measurement,
    ours: thousands(ours),
    reference: thousands(reference),
    ratio: times(ours / reference),
    target: target?.text ?? '—',
    verdict: target === undefined ? '' : verdict(target.met),
  };
}
