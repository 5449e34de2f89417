import type { PartitionProcessorStats, PartitionTableStats, ProcessorStats, RecoveryStats } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { ProcessorTracker } from './processor-tracker.class.js';

const NO_POLICY = { retried: 0, skipped: 0, deadLettered: 0 };
const recovered: RecoveryStats = { startTime: 1, endTime: 2, storedOffset: undefined, startOffset: 0, hwm: 10 };

function active(partition: number, count: number, lastOffset: number, hwm: number, extra: Partial<PartitionProcessorStats> = {}): PartitionProcessorStats {
  return {
    partition,
    mode: 'active',
    state: 'running',
    input: { clicks: { count, bytes: count * 10, lastOffset, committed: lastOffset + 1, hwm, lag: Math.max(0, hwm - lastOffset - 1) } },
    output: { 'clicks-table': { count, bytes: count * 2 }, out: { count: count * 2, bytes: count * 4 } },
    callbackErrors: 0,
    errorPolicy: NO_POLICY,
    recovery: recovered,
    ...extra,
  };
}

function stats(partitions: PartitionProcessorStats[], commits = { count: 0, failed: 0, totalLatencyMs: 0, lastLatencyMs: undefined as number | undefined }): ProcessorStats {
  return { group: 'clicks', state: 'running', commits, guarantee: 'at-least-once', callbackErrors: 0, errorPolicy: NO_POLICY, partitions, lookups: {} };
}

function table(offset: number | undefined, hwm: number, recovery: RecoveryStats, records = 0): PartitionTableStats {
  return {
    topic: 'clicks-table',
    partition: 0,
    state: recovery.endTime === undefined ? 'recovering' : 'running',
    offset,
    hwm,
    lag: Math.max(0, hwm - (offset ?? -1) - 1),
    records,
    bytes: records * 3,
    writes: 1,
    lastRecordAt: undefined,
    lastRecordTimestamp: undefined,
    recovery,
  };
}

const tracker = (stalledAfterMs = 10_000): ProcessorTracker =>
  new ProcessorTracker({ table: 'clicks-table', outputs: ['out'] }, 3, stalledAfterMs);

describe('ProcessorTracker', () => {
  it('derives per-second rates, totals and lag from consecutive samples', () => {
    const t = tracker();
    const first = t.update(1000, stats([active(0, 10, 9, 12), active(1, 0, -1, 0)]));
    expect(first.inputs).toEqual([{ topic: 'clicks', count: 10, bytes: 100, rate: undefined, bytesRate: undefined, lag: 2 }]);
    expect(first.partitions[0]?.inputs[0]?.rate).toBeUndefined();
    expect(t.series).toEqual([]);
    const second = t.update(3000, stats([active(0, 30, 29, 30), active(1, 4, 3, 4)], { count: 4, failed: 0, totalLatencyMs: 40, lastLatencyMs: 12 }));
    expect(second.inputs).toEqual([{ topic: 'clicks', count: 34, bytes: 340, rate: 12, bytesRate: 120, lag: 0 }]);
    expect(second.outputs).toEqual([{ topic: 'out', count: 68, bytes: 136, rate: 24, bytesRate: 48 }]);
    expect(second.tableWrites).toBe(34);
    expect(second.partitions.map((p) => [p.partition, p.inputs[0]?.rate, p.tableRate])).toEqual([
      [0, 10, 10],
      [1, 2, 2],
    ]);
    expect(second.commitLatencyMs).toBe(10);
    expect(t.series).toEqual([{ t: 3000, inputRate: 12, outputRate: 24, tableRate: 12, recoveryRate: 0, lag: 0, partitionLag: { 0: 0, 1: 0 } }]);
    expect(second.counts).toEqual({ running: 2 });
  });

  it('keeps totals growing over a reassignment (counters restart at 0) and bounds the history', () => {
    const t = tracker();
    t.update(0, stats([active(0, 10, 9, 10)]));
    t.update(1000, stats([active(0, 15, 14, 15)]));
    const reassigned = t.update(2000, stats([active(0, 3, 17, 18)]));
    expect(reassigned.inputs[0]?.count).toBe(18);
    t.update(3000, stats([active(0, 4, 18, 19)]));
    t.update(4000, stats([active(0, 5, 19, 20)]));
    expect(t.series.map((sample) => sample.t)).toEqual([2000, 3000, 4000]);
  });

  it('shows recovery progress with rate and ETA, standby partitions, and stalled partitions', () => {
    const t = tracker(5000);
    const recovering: RecoveryStats = { startTime: 0, endTime: undefined, storedOffset: undefined, startOffset: 0, hwm: 100 };
    const standby = (offset: number, endTime?: number): PartitionProcessorStats => ({
      partition: 0,
      mode: 'standby',
      state: endTime === undefined ? 'recovering' : 'running',
      input: {},
      output: {},
      callbackErrors: 0,
      errorPolicy: NO_POLICY,
      recovery: { ...recovering, endTime },
      table: table(offset, 100, { ...recovering, endTime }, offset + 1),
    });
    const stuck = active(1, 0, 4, 10);
    const first = t.update(0, stats([standby(19), stuck]));
    expect(first.partitions[0]).toMatchObject({ mode: 'standby', state: 'recovering', recovery: { done: 20, total: 100, progress: 0.2, rate: undefined } });
    const second = t.update(2000, stats([standby(59), stuck]));
    expect(second.partitions[0]?.recovery).toMatchObject({ done: 60, progress: 0.6, rate: 20, etaSeconds: 2 });
    expect(second.partitions[0]?.tableRate).toBe(20);
    expect(second.partitions[1]?.state).toBe('running');
    const third = t.update(6000, stats([standby(99, 5000), stuck]));
    expect(third.partitions[0]).toMatchObject({ state: 'standby', recovery: { done: 100, progress: 1, etaSeconds: 0 } });
    expect(third.partitions[1]?.state).toBe('stalled');
    expect(third.counts).toEqual({ standby: 1, stalled: 1 });
    const moving = t.update(7000, stats([standby(99, 5000), active(1, 1, 5, 10)]));
    expect(moving.partitions[1]?.state).toBe('running');
  });

  it('does not call an active partition stalled while it recovers without table stats (progress unknown)', () => {
    const t = tracker(1000);
    const recovering = active(0, 0, -1, 0, {
      state: 'recovering',
      input: {},
      recovery: { startTime: 0, endTime: undefined, storedOffset: undefined, startOffset: 0, hwm: 1000 },
    });
    t.update(0, stats([recovering]));
    const later = t.update(5000, stats([recovering]));
    expect(later.partitions[0]).toMatchObject({ state: 'recovering', recovery: { total: 1000, done: 0, progress: 0, etaSeconds: undefined } });
  });

  it('calls a partition stalled only when the high-water mark moved or more than one record waits, not at a lag of 1 (a transaction marker)', () => {
    const t = tracker(1000);
    // Idle behind a commit marker: offset 8 consumed, hwm 10 (9 is the marker), lag 1 for ever.
    const marker = active(0, 9, 8, 10);
    t.update(0, stats([marker]));
    expect(t.update(5000, stats([marker])).partitions[0]?.state).toBe('running');
    // A record came (mark 11, lag 2) and the position did not follow for the window: stalled.
    t.update(6000, stats([active(0, 9, 8, 10)]));
    expect(t.update(8000, stats([active(0, 9, 8, 11)])).partitions[0]?.state).toBe('stalled');
    // Two records waiting without progress: stalled even if the mark did not move.
    const behind = tracker(1000);
    behind.update(0, stats([active(0, 9, 8, 11)]));
    expect(behind.update(2000, stats([active(0, 9, 8, 11)])).partitions[0]?.state).toBe('stalled');
  });

  it('keeps each partition\'s lag in the samples and smooths the recovery rate so the ETA does not jump', () => {
    const t = tracker();
    const recovering: RecoveryStats = { startTime: 0, endTime: undefined, storedOffset: undefined, startOffset: 0, hwm: 1000 };
    const standby = (offset: number): PartitionProcessorStats => ({
      partition: 2,
      mode: 'standby',
      state: 'recovering',
      input: {},
      output: {},
      callbackErrors: 0,
      errorPolicy: NO_POLICY,
      recovery: recovering,
      table: table(offset, 1000, recovering, offset + 1),
    });
    t.update(0, stats([active(0, 10, 9, 15), active(1, 3, 2, 3), standby(99)]));
    t.update(1000, stats([active(0, 12, 11, 20), active(1, 4, 3, 4), standby(199)]));
    // 100/s, then a burst of 400 records in a second: the smoothed rate moves by 0.3 of the difference.
    const burst = t.update(2000, stats([active(0, 14, 13, 20), active(1, 5, 4, 5), standby(599)]));
    expect(t.series.map((sample) => sample.partitionLag)).toEqual([
      { 0: 8, 1: 0 },
      { 0: 6, 1: 0 },
    ]);
    expect(burst.partitions[2]?.recovery?.rate).toBeCloseTo(0.3 * 400 + 0.7 * 100);
    expect(burst.partitions[2]?.recovery?.etaSeconds).toBeCloseTo(400 / 190);
  });
});
