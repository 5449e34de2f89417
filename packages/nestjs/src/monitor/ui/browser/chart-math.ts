import type { MonitorPartitionState, MonitorRecovery, MonitorSample } from '../../interfaces/monitor-api.interface.js';
import { fmtDuration, fmtInt, fmtRate } from './format.js';
import type { Maybe } from './format.js';

/** The geometry and data of the charts (pure: no DOM). */

/** One point of a chart line; `v` is missing while a rate is not known yet (a gap in the line). */
export interface ChartPoint {
  readonly t: number;
  readonly v: Maybe<number>;
}

/** A point that has a value. */
export interface DefinedPoint {
  readonly t: number;
  readonly v: number;
}

export interface ChartLine {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly points: readonly ChartPoint[];
  readonly dashed?: boolean;
  /** No filled area under this line (per-partition lag lines). */
  readonly noArea?: boolean;
  readonly thin?: boolean;
}

export const COLORS = {
  input: '#2563eb',
  output: '#059669',
  table: '#7c3aed',
  recovery: '#d97706',
  lag: '#dc2626',
} as const;

/** Every partition state, in the order of the state bar. */
export const STATES: readonly MonitorPartitionState[] = ['recovering', 'running', 'standby', 'stalled', 'failed', 'connecting', 'stopping', 'idle'];

/** The axis top: 4 × a step of 1, 2, 2.5 or 5 × 10^k (at least 4, so counts get whole ticks). */
export function niceMax(value: number): number {
  if (!(value > 4)) return 4;
  const raw = value / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= raw) return 4 * step * magnitude;
  return 40 * magnitude;
}

export function definedPoints(points: readonly ChartPoint[]): DefinedPoint[] {
  return points.filter((point): point is DefinedPoint => point.v !== undefined && point.v !== null);
}

/** The SVG path of a line: `M` at the start and after every gap, `L` between defined points. */
export function linePath(points: readonly ChartPoint[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let open = false;
  for (const point of points) {
    if (point.v === undefined || point.v === null) {
      open = false;
      continue;
    }
    d += (open ? ' L' : d ? ' M' : 'M') + x(point.t).toFixed(1) + ' ' + y(point.v).toFixed(1);
    open = true;
  }
  return d;
}

/** The numeric fields of a sample a chart line can show. */
export type SampleField = 'inputRate' | 'outputRate' | 'tableRate' | 'recoveryRate' | 'lag';

export function seriesLine(series: readonly MonitorSample[], field: SampleField, key: keyof typeof COLORS, label: string): ChartLine {
  return { key, label, color: COLORS[key], points: series.map((sample) => ({ t: sample.t, v: sample[field] })) };
}

/** The total lag (area) and, when the samples carry it, one thin line per partition ('p3'). */
export function lagLines(series: readonly MonitorSample[]): ChartLine[] {
  const partitions = [...new Set(series.flatMap((sample) => Object.keys(sample.partitionLag ?? {})))].sort((a, b) => Number(a) - Number(b));
  const lines = [seriesLine(series, 'lag', 'lag', 'total')];
  if (partitions.length < 2) return lines;
  partitions.forEach((partition, index) => {
    lines.push({
      key: 'p' + partition,
      label: 'p' + partition,
      color: 'hsl(' + ((index * 137) % 360) + ' 60% 42%)',
      noArea: true,
      thin: true,
      points: series.map((sample) => ({ t: sample.t, v: sample.partitionLag ? sample.partitionLag[partition] : undefined })),
    });
  });
  return lines;
}

/** The states that occur, in {@link STATES} order, with their partition counts. */
export function stateEntries(counts: Readonly<Partial<Record<MonitorPartitionState, number>>> | undefined): [MonitorPartitionState, number][] {
  const entries: [MonitorPartitionState, number][] = [];
  for (const state of STATES) {
    const count = counts?.[state];
    if (count !== undefined && count > 0) entries.push([state, count]);
  }
  return entries;
}

/** What a recovery progress bar shows: the fill (0–1), its percentage and a line of detail. */
export interface RecoverySummary {
  readonly progress: number;
  readonly pct: string;
  readonly done: boolean;
  readonly detail: string;
}

export function recoverySummary(recovery: MonitorRecovery): RecoverySummary {
  const progress = Math.max(0, Math.min(1, recovery.progress || 0));
  const done = progress >= 1;
  const took = recovery.startTime && recovery.endTime ? ' in ' + fmtDuration((recovery.endTime - recovery.startTime) / 1000) : '';
  return {
    progress,
    pct: (progress * 100).toFixed(progress < 1 ? 1 : 0) + '%',
    done,
    detail: done
      ? 'recovered ' + fmtInt(recovery.done) + ' records' + took
      : fmtInt(recovery.done) + ' / ' + fmtInt(recovery.total) + ' · ' + fmtRate(recovery.rate) + ' · ETA ' + fmtDuration(recovery.etaSeconds),
  };
}
