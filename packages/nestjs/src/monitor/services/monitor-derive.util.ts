import type { PartitionState, PartitionTableStats, RecoveryStats, ViewState } from '@goka/core';
import type { MonitorPartitionState, MonitorPhase, MonitorRecovery } from '../interfaces/monitor-api.interface.js';

/** How much a counter grew between two samples; a counter that went down was reset (reassigned partition). */
export function increase(previous: number | undefined, current: number): number {
  return previous === undefined || current < previous ? current : current - previous;
}

/** Per second, or `undefined` without a previous sample. */
export function perSecond(delta: number | undefined, dtMs: number | undefined): number | undefined {
  if (delta === undefined || dtMs === undefined || dtMs <= 0) return undefined;
  return (Math.max(0, delta) * 1000) / dtMs;
}

/** The sum of the defined values, `undefined` when none is. */
export function sumDefined(values: Iterable<number | undefined>): number | undefined {
  let sum: number | undefined;
  for (const value of values) if (value !== undefined) sum = (sum ?? 0) + value;
  return sum;
}

/** A partition table's state as the monitor shows it. */
export function tableState(state: PartitionState): MonitorPartitionState {
  switch (state) {
    case 'stopped':
      return 'idle';
    case 'initializing':
    case 'connecting':
      return 'connecting';
    case 'recovering':
    case 'preparing':
      return 'recovering';
    case 'running':
      return 'running';
  }
}

/** Records a recovery read so far and records to read (`total` unknown before the offsets are). */
export function recoveryProgress(
  recovery: RecoveryStats,
  table: PartitionTableStats | undefined,
): { readonly done: number; readonly total: number | undefined; readonly recovered: boolean } {
  const { startOffset, hwm, endTime } = recovery;
  const total = startOffset === undefined || hwm === undefined ? undefined : Math.max(0, hwm - startOffset);
  if (endTime !== undefined) return { done: total ?? 0, total: total ?? 0, recovered: true };
  const offset = table?.offset;
  let done = 0;
  if (offset !== undefined && startOffset !== undefined) done = Math.max(0, offset + 1 - startOffset);
  if (total !== undefined) done = Math.min(done, total);
  return { done, total, recovered: false };
}

/** How much a new sample's recovery rate weighs in the smoothed rate (the rest is the previous smoothed rate). */
export const RECOVERY_RATE_WEIGHT = 0.3;

/** Partitions with their own line in the lag chart (`MonitorSample.partitionLag`). */
export const MAX_PARTITION_LAG_LINES = 32;

/**
 * A partition's {@link MonitorRecovery}, with the rate from the records read since the previous
 * sample, smoothed with `previousRate` (the previous sample's smoothed rate).
 */
export function monitorRecovery(
  recovery: RecoveryStats,
  table: PartitionTableStats | undefined,
  previousDone: number | undefined,
  dtMs: number | undefined,
  previousRate?: number,
): MonitorRecovery {
  const { done, total, recovered } = recoveryProgress(recovery, table);
  const measured = perSecond(previousDone === undefined ? undefined : done - previousDone, dtMs);
  const rate =
    measured === undefined || previousRate === undefined
      ? measured
      : RECOVERY_RATE_WEIGHT * measured + (1 - RECOVERY_RATE_WEIGHT) * previousRate;
  let etaSeconds: number | undefined;
  if (recovered) etaSeconds = 0;
  else if (total !== undefined && rate !== undefined && rate > 0) etaSeconds = (total - done) / rate;
  let progress: number;
  if (recovered) progress = 1;
  else if (total === undefined) progress = 0;
  else progress = total === 0 ? 1 : done / total;
  return { total, done, progress, rate, etaSeconds, startTime: recovery.startTime, endTime: recovery.endTime };
}

/**
 * Watches a partition's position (offsets consumed, records applied) to tell a stalled partition:
 * no progress for `stalledAfterMs` while there is something to read, that is the high-water mark
 * moved during that time or more than one record is left. A lag stuck at 1 with the mark not
 * moving is an idle partition whose last offset is a transaction marker (transactional producers),
 * which is never consumed: not stalled.
 */
export class StallWatch {
  readonly #since = new Map<string, { position: number; at: number; hwm: number | undefined }>();

  constructor(private readonly stalledAfterMs: number) {}

  /**
   * Records the partition's position (and high-water mark, summed over its topics) at `t`; whether
   * it made no progress for long while there was something to read.
   */
  stalled(key: string, position: number, lag: number | undefined, t: number, hwm?: number): boolean {
    const last = this.#since.get(key);
    if (last === undefined || last.position !== position || lag === undefined || lag <= 0) {
      this.#since.set(key, { position, at: t, hwm });
      return false;
    }
    if (t - last.at < this.stalledAfterMs) return false;
    const hwmMoved = hwm !== undefined && last.hwm !== undefined && hwm > last.hwm;
    return lag > 1 || hwmMoved;
  }

  /** Forgets partitions not in `keys` (revoked). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.#since.keys()) if (!keys.has(key)) this.#since.delete(key);
  }
}

/** Appends `item`, dropping the oldest beyond `size`. */
export function pushBounded<T>(list: T[], item: T, size: number): void {
  list.push(item);
  if (list.length > size) list.splice(0, list.length - size);
}

/** Counts of each state that occurs. */
export function countStates(states: Iterable<MonitorPartitionState>): Partial<Record<MonitorPartitionState, number>> {
  const counts: Partial<Record<MonitorPartitionState, number>> = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/**
 * A processor's lookup view's phase, from its own state: `ready` when running, `starting` on its
 * way there; an idle one is `stopped` once its processor ended (stopped or failed), else `created`.
 */
export function lookupPhase(state: ViewState | undefined, processorPhase: MonitorPhase): MonitorPhase {
  switch (state) {
    case 'running':
      return 'ready';
    case 'initializing':
    case 'connecting':
    case 'catching-up':
      return 'starting';
    case 'idle':
    case undefined:
      return processorPhase === 'stopped' || processorPhase === 'failed' ? 'stopped' : 'created';
  }
}

/** Lag by partition number for the first {@link MAX_PARTITION_LAG_LINES} partitions with a known lag. */
export function partitionLag(partitions: Iterable<{ readonly partition: number; readonly lag: number | undefined }>): Record<string, number> | undefined {
  const lags: Record<string, number> = {};
  let count = 0;
  for (const { partition, lag } of [...partitions].sort((a, b) => a.partition - b.partition)) {
    if (lag === undefined || count >= MAX_PARTITION_LAG_LINES) continue;
    lags[String(partition)] = lag;
    count += 1;
  }
  return count === 0 ? undefined : lags;
}
