import type { Settled } from '../support/pressure.js';

/** The latency section's spec and results (types shared by the suite, its measurement and the report). */

export interface LatencySpec {
  readonly brokers: readonly string[];
  readonly partitions: number;
  /** Messages per second. */
  readonly rate: number;
  /** Seconds measured (after the warm-up). */
  readonly seconds: number;
  /** Seconds emitted before measuring (not in the statistics). */
  readonly warmupSeconds: number;
  readonly valueBytes: number;
  readonly storageRoot: string;
  /** Exactly-once paths: one per commit interval of the processor, ms (empty: none). */
  readonly eosCommitIntervalsMs?: readonly number[] | undefined;
  readonly log: (line: string) => void;
}

/** Percentiles of one latency series, ms. */
export interface LatencyStats {
  readonly samples: number;
  /** Messages that never arrived within the grace period after the last emit. */
  readonly missing: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LatencyPath {
  readonly label: string;
  /** Send call → value visible to the reader (ours: in the View's storage; raw: in the sink consumer). */
  readonly endToEnd: LatencyStats;
  /** Send call → the producer's acknowledgement (ours: `emit` resolved; raw: `send` resolved). */
  readonly ack: LatencyStats;
  /** Messages actually sent per second during the measured window. */
  readonly achievedRate: number;
  /**
   * The two hops, from record timestamps (epoch ms, so ±1 ms): send → the middle process produced the
   * second record (its CreateTime), and that → visible. `undefined` where the timestamps are not known.
   */
  readonly hops: { readonly first: LatencyStats; readonly second: LatencyStats } | undefined;
  /**
   * Noise during the measured window: the share of time some task waited for a CPU (Linux PSI), and
   * the event-loop delay of this (mostly idle) bench process, p50 / p99 / max ms (sampled every 1 ms; the
   * values include that 1 ms).
   */
  readonly noise: {
    readonly cpuPressure: number | undefined;
    readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
    /** The wait for a calm machine before the path started (see `settle`). */
    readonly settled?: Settled;
  };
  /**
   * The tail against the machine's load: messages sent in calm seconds vs busy seconds (CPU pressure
   * ≥ {@link BUSY_PRESSURE}), and every second's pressure, p99 and max.
   */
  readonly byPressure: {
    readonly calm: { readonly seconds: number; readonly samples: number; readonly p99: number; readonly max: number };
    readonly busy: { readonly seconds: number; readonly samples: number; readonly p99: number; readonly max: number };
    readonly perSecond: ReadonlyArray<{ readonly second: number; readonly cpuPressure: number; readonly samples: number; readonly p99: number; readonly max: number }>;
  };
  /** Peak RSS of the middle process (processor / relay), MiB. */
  readonly peakRssMiB: number;
  readonly cpuMs: number;
}

/** Ours with an exactly-once processor (outputs visible at its commit) at one commit interval. */
export interface ExactlyOnceLatency extends LatencyPath {
  readonly commitIntervalMs: number;
  /** The processor's transactions during the path (committed, aborted, summed commit time). */
  readonly transactions: { readonly committed: number; readonly aborted: number; readonly totalCommitMs: number } | undefined;
}

export interface LatencyResult {
  readonly ours: LatencyPath;
  /** The same path with the processor in exactly-once mode, one per commit interval (older results: absent). */
  readonly exactlyOnce?: readonly ExactlyOnceLatency[];
  readonly raw: LatencyPath;
}

/** The share of time some task waited for a CPU above which a second of the window counts as busy. */
export const BUSY_PRESSURE = 0.75;
