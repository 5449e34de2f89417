import type { MonitorPartitionState, MonitorRecovery } from '../../interfaces/monitor-api.interface.js';
import { definedPoints, linePath, niceMax, recoverySummary, stateEntries } from './chart-math.js';
import type { ChartLine } from './chart-math.js';
import { h, s } from './dom.js';
import { fmtNum, fmtTime } from './format.js';

/**
 * The charts: small inline SVG line/area charts over the monitor's `series`, a stacked bar of
 * partition states and recovery progress bars. No chart library.
 */

export interface LineChartOptions {
  readonly testid: string;
  readonly title: string;
  readonly format?: (value: number) => string;
  /** Fill the area under each line (except lines with `noArea`). */
  readonly area?: boolean;
}

const WIDTH = 560;
const HEIGHT = 150;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

function chartLegend(lines: readonly ChartLine[], format: (value: number) => string): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    lines.map((line) => {
      const last = definedPoints(line.points).at(-1);
      return h('span', { class: 'legend-item', testid: 'legend-' + line.key }, h('i', { class: 'swatch', style: 'background:' + line.color }), line.label + ' ', h('b', {}, last ? format(last.v) : '–'));
    }),
  );
}

export function lineChart(lines: readonly ChartLine[], options: LineChartOptions): HTMLElement {
  const format = options.format ?? ((value: number) => fmtNum(value));
  const all = lines.flatMap((line) => line.points);
  const times = all.map((p) => p.t);
  const values = definedPoints(all).map((p) => p.v);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const max = niceMax(values.length ? Math.max(...values) : 0);
  const x = (t: number): number => PAD.left + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number): number => PAD.top + (1 - v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const svg = s('svg', { viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, class: 'chart-svg', role: 'img', 'aria-label': options.title, testid: options.testid + '-svg' });
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    const gy = y(v);
    svg.append(s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: gy, y2: gy, class: i === 0 ? 'axis' : 'grid' }));
    svg.append(s('text', { x: PAD.left - 6, y: gy + 3, 'text-anchor': 'end', class: 'tick' }, fmtNum(v)));
  }
  if (times.length) {
    svg.append(s('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, fmtTime(t0)));
    svg.append(s('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end', class: 'tick' }, fmtTime(t1)));
  }
  for (const line of lines) {
    const d = linePath(line.points, x, y);
    const defined = definedPoints(line.points);
    const first = defined[0];
    const last = defined.at(-1);
    if (!d || first === undefined || last === undefined) continue;
    if (options.area && !line.noArea) {
      const base = y(0).toFixed(1);
      const area = d + ' L' + x(last.t).toFixed(1) + ' ' + base + ' L' + x(first.t).toFixed(1) + ' ' + base + ' Z';
      svg.append(s('path', { d: area, fill: line.color, 'fill-opacity': '0.15', stroke: 'none' }));
    }
    svg.append(
      s('path', {
        d,
        class: line.thin ? 'series thin' : 'series',
        stroke: line.color,
        'stroke-dasharray': line.dashed ? '6 4' : undefined,
        testid: options.testid + '-' + line.key,
        'data-points': defined.length,
      }),
    );
    svg.append(s('circle', { cx: x(last.t), cy: y(last.v), r: 3, fill: line.color }));
  }
  if (!values.length) {
    svg.append(s('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'empty' }, 'Waiting for two samples…'));
  }
  return h('figure', { class: 'chart', testid: options.testid }, h('figcaption', {}, options.title), chartLegend(lines, format), svg);
}

export function stateBar(counts: Readonly<Partial<Record<MonitorPartitionState, number>>> | undefined, testid: string): HTMLElement {
  const entries = stateEntries(counts);
  const total = entries.reduce((sum, entry) => sum + entry[1], 0);
  const bar = h('div', { class: 'state-bar', testid, title: entries.map((e) => e[1] + ' ' + e[0]).join(', ') || 'no partitions' });
  if (!total) bar.append(h('span', { class: 'state-bar-empty' }, 'no partitions'));
  for (const [state, count] of entries) {
    bar.append(h('span', { class: 'st-' + state, style: 'flex-grow:' + count, 'data-state': state }, count + ' ' + state));
  }
  return bar;
}

export function stateLegend(): HTMLElement {
  return h(
    'div',
    { class: 'legend state-legend', testid: 'state-legend' },
    ['recovering', 'running', 'standby', 'stalled', 'failed', 'idle'].map((state) => h('span', { class: 'legend-item' }, h('i', { class: 'swatch st-' + state }), state)),
  );
}

export function progressBar(recovery: MonitorRecovery, testid: string): HTMLElement {
  const { progress, pct, done, detail } = recoverySummary(recovery);
  return h(
    'div',
    { class: 'progress' + (done ? ' done' : ''), testid, role: 'progressbar', 'aria-valuenow': Math.round(progress * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill', style: 'width:' + pct })),
    h('span', { class: 'progress-text' }, pct + ' · ' + detail),
  );
}
