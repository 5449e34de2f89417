/**
 * The browser script's charts: small inline SVG line/area charts over the monitor's `series`, a
 * stacked bar of partition states and recovery progress bars. No chart library.
 */
export const SCRIPT_CHARTS = String.raw`
const COLORS = {
  input: '#2563eb',
  output: '#059669',
  table: '#7c3aed',
  recovery: '#d97706',
  lag: '#dc2626',
};

/** The axis top: 4 × a step of 1, 2, 2.5 or 5 × 10^k (at least 4, so counts get whole ticks). */
function niceMax(value) {
  if (!(value > 4)) return 4;
  const raw = value / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= raw) return 4 * step * magnitude;
  return 40 * magnitude;
}

function linePath(points, x, y) {
  let d = '';
  let open = false;
  for (const point of points) {
    if (point.v === undefined || point.v === null) {
      open = false;
      continue;
    }
    d += (open ? ' L' : (d ? ' M' : 'M')) + x(point.t).toFixed(1) + ' ' + y(point.v).toFixed(1);
    open = true;
  }
  return d;
}

function chartLegend(lines, format) {
  return h(
    'div',
    { class: 'legend' },
    lines.map((line) => {
      const last = [...line.points].reverse().find((p) => p.v !== undefined && p.v !== null);
      return h(
        'span',
        { class: 'legend-item', testid: 'legend-' + line.key },
        h('i', { class: 'swatch', style: 'background:' + line.color }),
        line.label + ' ',
        h('b', {}, last ? format(last.v) : '–'),
      );
    }),
  );
}

/**
 * lines: [{ key, label, color, dashed?, points: [{ t, v }] }]; options: { testid, title, format, area }.
 */
function lineChart(lines, options) {
  const width = 560;
  const height = 150;
  const pad = { left: 44, right: 10, top: 10, bottom: 22 };
  const format = options.format || fmtNum;
  const all = lines.flatMap((line) => line.points);
  const times = all.map((p) => p.t);
  const values = all.map((p) => p.v).filter((v) => v !== undefined && v !== null);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const max = niceMax(values.length ? Math.max(...values) : 0);
  const x = (t) => pad.left + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right));
  const y = (v) => pad.top + (1 - v / max) * (height - pad.top - pad.bottom);
  const svg = s('svg', {
    viewBox: '0 0 ' + width + ' ' + height,
    class: 'chart-svg',
    role: 'img',
    'aria-label': options.title,
    testid: options.testid + '-svg',
  });
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    const gy = y(v);
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: gy, y2: gy, class: i === 0 ? 'axis' : 'grid' }));
    svg.append(s('text', { x: pad.left - 6, y: gy + 3, 'text-anchor': 'end', class: 'tick' }, fmtNum(v)));
  }
  if (times.length) {
    svg.append(s('text', { x: pad.left, y: height - 6, class: 'tick' }, fmtTime(t0)));
    svg.append(s('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'tick' }, fmtTime(t1)));
  }
  for (const line of lines) {
    const d = linePath(line.points, x, y);
    if (!d) continue;
    if (options.area && !line.noArea) {
      const defined = line.points.filter((p) => p.v !== undefined && p.v !== null);
      const first = defined[0];
      const last = defined[defined.length - 1];
      const base = y(0).toFixed(1);
      const area = d + ' L' + x(last.t).toFixed(1) + ' ' + base + ' L' + x(first.t).toFixed(1) + ' ' + base + ' Z';
      svg.append(s('path', { d: area, fill: line.color, 'fill-opacity': '0.15', stroke: 'none' }));
    }
    svg.append(s('path', { d, class: line.thin ? 'series thin' : 'series', stroke: line.color, 'stroke-dasharray': line.dashed ? '6 4' : undefined, testid: options.testid + '-' + line.key, 'data-points': line.points.filter((p) => p.v !== undefined && p.v !== null).length }));
    const lastPoint = [...line.points].reverse().find((p) => p.v !== undefined && p.v !== null);
    if (lastPoint) svg.append(s('circle', { cx: x(lastPoint.t), cy: y(lastPoint.v), r: 3, fill: line.color }));
  }
  if (!values.length) {
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' }, 'Waiting for two samples…'));
  }
  return h(
    'figure',
    { class: 'chart', testid: options.testid },
    h('figcaption', {}, options.title),
    chartLegend(lines, format),
    svg,
  );
}

function seriesLine(series, field, key, label) {
  return { key, label, color: COLORS[key], points: series.map((sample) => ({ t: sample.t, v: sample[field] })) };
}

/** The total lag (area) and, when the samples carry it, one thin line per partition ('p3'). */
function lagLines(series) {
  const partitions = [...new Set(series.flatMap((sample) => Object.keys(sample.partitionLag || {})))].sort((a, b) => Number(a) - Number(b));
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

function stateBar(counts, testid) {
  const entries = STATES.filter((state) => counts && counts[state] > 0).map((state) => [state, counts[state]]);
  const total = entries.reduce((sum, entry) => sum + entry[1], 0);
  const bar = h('div', { class: 'state-bar', testid, title: entries.map((e) => e[1] + ' ' + e[0]).join(', ') || 'no partitions' });
  if (!total) bar.append(h('span', { class: 'state-bar-empty' }, 'no partitions'));
  for (const [state, count] of entries) {
    bar.append(h('span', { class: 'st-' + state, style: 'flex-grow:' + count, 'data-state': state }, count + ' ' + state));
  }
  return bar;
}

function stateLegend() {
  return h(
    'div',
    { class: 'legend state-legend', testid: 'state-legend' },
    ['recovering', 'running', 'standby', 'stalled', 'failed', 'idle'].map((state) =>
      h('span', { class: 'legend-item' }, h('i', { class: 'swatch st-' + state }), state),
    ),
  );
}

function progressBar(recovery, testid) {
  const progress = Math.max(0, Math.min(1, recovery.progress || 0));
  const pct = (progress * 100).toFixed(progress < 1 ? 1 : 0) + '%';
  const done = progress >= 1;
  const detail = done
    ? 'recovered ' + fmtInt(recovery.done) + ' records' + (recovery.startTime && recovery.endTime ? ' in ' + fmtDuration((recovery.endTime - recovery.startTime) / 1000) : '')
    : fmtInt(recovery.done) + ' / ' + fmtInt(recovery.total) + ' · ' + fmtRate(recovery.rate) + ' · ETA ' + fmtDuration(recovery.etaSeconds);
  return h(
    'div',
    { class: 'progress' + (done ? ' done' : ''), testid, role: 'progressbar', 'aria-valuenow': Math.round(progress * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill', style: 'width:' + pct })),
    h('span', { class: 'progress-text' }, pct + ' · ' + detail),
  );
}
`;
