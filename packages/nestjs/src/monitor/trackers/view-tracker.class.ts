import type { ViewStats } from '@goka/core';
import type { MonitorPartitionState, MonitorSample, MonitorViewPartition } from '../interfaces/monitor-api.interface.js';
import {
  countStates,
  increase,
  monitorRecovery,
  partitionLag,
  perSecond,
  pushBounded,
  StallWatch,
  sumDefined,
  tableState,
} from '../services/monitor-derive.util.js';

/** A view (or a processor's lookup view) at one sample, with what the monitor derived from it. */
export interface ViewSnapshot {
  readonly t: number;
  readonly stats: ViewStats;
  readonly partitions: readonly MonitorViewPartition[];
  readonly counts: Readonly<Partial<Record<MonitorPartitionState, number>>>;
  /** Records applied since the monitor started sampling (never decreases). */
  readonly recordsTotal: number;
  /** Key plus value bytes of those records. */
  readonly bytesTotal: number;
}

/** Keeps the history of one view's stats and derives rates, recovery and stalls from it. */
export class ViewTracker {
  readonly #series: MonitorSample[] = [];
  readonly #stalls: StallWatch;
  #last: ViewSnapshot | undefined;
  /** The monotonic time of the last sample, for intervals. */
  #lastMonotonic = 0;
  #recordsTotal = 0;
  #bytesTotal = 0;
  /** Per partition at the last sample: records applied, recovery records read. */
  #previous = new Map<number, { records: number; bytes: number; done: number; rate: number | undefined }>();

  constructor(
    private readonly historySize: number,
    stalledAfterMs: number,
  ) {
    this.#stalls = new StallWatch(stalledAfterMs);
  }

  /** The last sample, `undefined` before the first. */
  get latest(): ViewSnapshot | undefined {
    return this.#last;
  }

  /** Chart points, oldest first. */
  get series(): readonly MonitorSample[] {
    return this.#series;
  }

  /**
   * Adds the stats read at `t` (epoch ms, shown) and `monotonicMs` (e.g. `performance.now()`, the
   * interval since the previous sample is measured on it).
   */
  update(t: number, stats: ViewStats, monotonicMs = t): ViewSnapshot {
    const dtMs = this.#last === undefined ? undefined : monotonicMs - this.#lastMonotonic;
    this.#lastMonotonic = monotonicMs;
    const previous = this.#previous;
    const next = new Map<number, { records: number; bytes: number; done: number; rate: number | undefined }>();
    let recordsRate: number | undefined;
    let recoveryRate: number | undefined;
    const partitions = stats.partitions.map((table): MonitorViewPartition => {
      const before = previous.get(table.partition);
      const records = increase(before?.records, table.records);
      this.#recordsTotal += records;
      this.#bytesTotal += increase(before?.bytes, table.bytes);
      const rate = before === undefined ? undefined : perSecond(records, dtMs);
      const recovery = monitorRecovery(table.recovery, table, before?.done, dtMs, before?.rate);
      next.set(table.partition, { records: table.records, bytes: table.bytes, done: recovery.done, rate: recovery.rate });
      if (rate !== undefined) recordsRate = (recordsRate ?? 0) + rate;
      if (recovery.rate !== undefined) recoveryRate = (recoveryRate ?? 0) + recovery.rate;
      let state = tableState(table.state);
      const stalled = this.#stalls.stalled(String(table.partition), table.offset ?? -1, table.lag, t, table.hwm);
      if (stalled && (state === 'running' || state === 'recovering')) state = 'stalled';
      return { partition: table.partition, state, offset: table.offset, hwm: table.hwm, lag: table.lag, rate, recovery };
    });
    this.#stalls.retain(new Set(stats.partitions.map((table) => String(table.partition))));
    this.#previous = next;
    const snapshot: ViewSnapshot = {
      t,
      stats,
      partitions,
      counts: countStates(partitions.map((partition) => partition.state)),
      recordsTotal: this.#recordsTotal,
      bytesTotal: this.#bytesTotal,
    };
    if (dtMs !== undefined) {
      pushBounded(
        this.#series,
        {
          t,
          inputRate: recordsRate,
          outputRate: undefined,
          tableRate: recordsRate,
          recoveryRate,
          lag: sumDefined(partitions.map((partition) => partition.lag)),
          ...lagByPartition(partitions),
        },
        this.historySize,
      );
    }
    this.#last = snapshot;
    return snapshot;
  }
}

/** `{ partitionLag }`, or nothing when no partition's lag is known. */
function lagByPartition(partitions: readonly MonitorViewPartition[]): { partitionLag?: Record<string, number> } {
  const lags = partitionLag(partitions);
  return lags === undefined ? {} : { partitionLag: lags };
}
