import type { PartitionTableStats, ViewStats } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { ViewTracker } from './view-tracker.class.js';

function partition(index: number, offset: number | undefined, hwm: number, records: number, endTime?: number): PartitionTableStats {
  return {
    topic: 'clicks-table',
    partition: index,
    state: endTime === undefined ? 'recovering' : 'running',
    offset,
    hwm,
    lag: Math.max(0, hwm - (offset ?? -1) - 1),
    records,
    bytes: records * 8,
    writes: 1,
    lastRecordAt: undefined,
    lastRecordTimestamp: undefined,
    recovery: { startTime: 0, endTime, storedOffset: undefined, startOffset: 0, hwm: 50 },
  };
}

const view = (partitions: PartitionTableStats[]): ViewStats => ({ table: 'clicks-table', state: 'catching-up', partitions });

describe('ViewTracker', () => {
  it('derives rates, recovery progress and ETA, states and lag per partition', () => {
    const t = new ViewTracker(10, 60_000);
    const first = t.update(0, view([partition(0, undefined, 50, 0), partition(1, 9, 10, 10, 1)]));
    expect(first.partitions.map((p) => [p.state, p.recovery.progress, p.lag])).toEqual([
      ['recovering', 0, 50],
      ['running', 1, 0],
    ]);
    const second = t.update(1000, view([partition(0, 24, 50, 25), partition(1, 11, 12, 12, 1)]));
    expect(second.partitions[0]).toMatchObject({ rate: 25, recovery: { done: 25, total: 50, progress: 0.5, rate: 25, etaSeconds: 1 } });
    expect(second.partitions[1]).toMatchObject({ rate: 2, lag: 0 });
    expect(second.recordsTotal).toBe(37);
    expect(second.counts).toEqual({ recovering: 1, running: 1 });
    expect(t.series).toEqual([{ t: 1000, inputRate: 27, outputRate: undefined, tableRate: 27, recoveryRate: 25, lag: 25, partitionLag: { 0: 25, 1: 0 } }]);
  });

  it('does not call a partition idle behind a transaction marker (lag 1, mark not moving) stalled', () => {
    const t = new ViewTracker(10, 1000);
    t.update(0, view([partition(0, 8, 10, 9, 1)]));
    expect(t.update(5000, view([partition(0, 8, 10, 9, 1)])).partitions[0]?.state).toBe('running');
    expect(t.update(7000, view([partition(0, 8, 12, 9, 1)])).partitions[0]?.state).toBe('stalled');
  });
});
