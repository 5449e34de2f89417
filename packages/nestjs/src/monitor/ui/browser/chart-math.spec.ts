import { describe, expect, it } from 'vitest';
import type { MonitorSample } from '../../interfaces/monitor-api.interface.js';
import { COLORS, lagLines, linePath, niceMax, recoverySummary, seriesLine, stateEntries } from './chart-math.js';

function sample(t: number, fields: Partial<MonitorSample> = {}): MonitorSample {
  return { t, inputRate: undefined, outputRate: undefined, tableRate: undefined, recoveryRate: undefined, lag: undefined, ...fields };
}

describe('monitor chart geometry', () => {
  it('puts the axis top at 4 × a round step, at least 4', () => {
    expect([niceMax(0), niceMax(4), niceMax(Number.NaN), niceMax(-5)]).toEqual([4, 4, 4, 4]);
    expect([niceMax(5), niceMax(9.5), niceMax(17), niceMax(101), niceMax(4000)]).toEqual([8, 10, 20, 200, 4000]);
  });

  it('draws a line through the defined points and starts a new one after each gap', () => {
    const points = [
      { t: 0, v: 1 },
      { t: 1, v: 2 },
      { t: 2, v: undefined },
      { t: 3, v: 4 },
      { t: 4, v: null },
    ];
    expect(linePath(points, (t) => t * 10, (v) => v)).toBe('M0.0 1.0 L10.0 2.0 M30.0 4.0');
    expect(linePath([{ t: 0, v: undefined }], (t) => t, (v) => v)).toBe('');
  });

  it('makes a chart line of one field of the samples, with the color of its key', () => {
    const line = seriesLine([sample(1, { inputRate: 3 }), sample(2)], 'inputRate', 'input', 'input');
    expect(line).toEqual({ key: 'input', label: 'input', color: COLORS.input, points: [{ t: 1, v: 3 }, { t: 2, v: undefined }] });
  });

  it('draws the total lag, plus a thin line per partition in numeric order when there are two or more', () => {
    expect(lagLines([sample(1, { lag: 5, partitionLag: { 0: 5 } })])).toHaveLength(1);
    const lines = lagLines([sample(1, { lag: 7, partitionLag: { 10: 3, 2: 4 } }), sample(2, { lag: 1, partitionLag: { 2: 1 } })]);
    expect(lines.map((line) => line.key)).toEqual(['lag', 'p2', 'p10']);
    expect(lines[0]?.points).toEqual([{ t: 1, v: 7 }, { t: 2, v: 1 }]);
    expect(lines[1]).toMatchObject({ label: 'p2', color: 'hsl(0 60% 42%)', noArea: true, thin: true, points: [{ t: 1, v: 4 }, { t: 2, v: 1 }] });
    expect(lines[2]).toMatchObject({ color: 'hsl(137 60% 42%)', points: [{ t: 1, v: 3 }, { t: 2, v: undefined }] });
  });

  it('lists the partition states that occur in the state bar order', () => {
    expect(stateEntries({ running: 3, recovering: 1, failed: 0, idle: 2 })).toEqual([
      ['recovering', 1],
      ['running', 3],
      ['idle', 2],
    ]);
    expect(stateEntries(undefined)).toEqual([]);
  });

  it('summarizes a recovery: percentage, progress with rate and ETA, or what it took once done', () => {
    const base = { total: 2000, done: 1200, progress: 0.6, rate: 900, etaSeconds: 0.9, startTime: 1000, endTime: undefined };
    expect(recoverySummary(base)).toEqual({ progress: 0.6, pct: '60.0%', done: false, detail: '1,200 / 2,000 · 900/s · ETA 1s' });
    expect(recoverySummary({ ...base, done: 2000, progress: 1, endTime: 3500 })).toEqual({ progress: 1, pct: '100%', done: true, detail: 'recovered 2,000 records in 3s' });
    expect(recoverySummary({ ...base, total: undefined, progress: 1.7, startTime: undefined }).detail).toBe('recovered 1,200 records');
    expect(recoverySummary({ ...base, progress: -1, rate: undefined, etaSeconds: undefined })).toMatchObject({ pct: '0.0%', detail: '1,200 / 2,000 · – · ETA –' });
  });
});
