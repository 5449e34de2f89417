import type {
  MonitorOverview,
  MonitorPartitionInput,
  MonitorProcessorDetail,
  MonitorProcessorSummary,
  MonitorTopicTraffic,
  MonitorViewDetail,
  MonitorViewSummary,
} from '../../interfaces/monitor-api.interface.js';
import { lagLines, seriesLine } from './chart-math.js';
import { lineChart, progressBar, stateBar, stateLegend } from './charts.js';
import { processorTotals, recoveries } from './derive.js';
import type { RecoveringPartition } from './derive.js';
import { h, render } from './dom.js';
import { fmtBytes, fmtInt, fmtInterval, fmtNum, fmtRate, fmtTime, sumDefined } from './format.js';
import { encodeName, pageUrl } from './page.js';
import { badge, errorBox, graphDiagram, link, partitionGrid, phaseBadge, row, section, table, tile } from './widgets.js';

/**
 * The live pages: the index (processors and views with their group graphs) and the processor and
 * view pages (tiles, rate and lag charts, partition grid, recovery, tables).
 */

function processorCard(p: MonitorProcessorSummary): HTMLElement {
  const path = '/processors/' + encodeName(p.group);
  return h(
    'article',
    { class: 'card item', testid: 'processor-' + p.group },
    h('div', { class: 'item-head' }, h('h3', {}, link(path, p.group, 'processor-link-' + p.group)), phaseBadge(p.phase, 'processor-phase-' + p.group), h('span', { class: 'muted' }, p.className + ' · ' + p.state)),
    errorBox(p.error, 'processor-error-' + p.group),
    stateBar(p.partitions, 'processor-states-' + p.group),
    graphDiagram(p.group, p.edges, 'processor-graph-' + p.group),
    p.visitors.length ? h('p', { class: 'muted' }, 'Visitors: ', p.visitors.join(', '), ' · ', link('/actions', 'actions')) : undefined,
  );
}

function viewCard(v: MonitorViewSummary): HTMLElement {
  const path = '/views/' + encodeName(v.table);
  return h(
    'article',
    { class: 'card item', testid: 'view-' + v.table },
    h('div', { class: 'item-head' }, h('h3', {}, link(path, v.table, 'view-link-' + v.table)), phaseBadge(v.phase, 'view-phase-' + v.table), h('span', { class: 'muted' }, v.codec + ' · ' + v.state)),
    errorBox(v.error, 'view-error-' + v.table),
    stateBar(v.partitions, 'view-states-' + v.table),
  );
}

export function drawIndex(o: MonitorOverview): void {
  render(
    h(
      'div',
      { class: 'tiles' },
      tile('Ready', o.ready ? 'yes' : 'no', 'overview-ready', o.ready ? 'good' : 'warn'),
      tile('Processors', String(o.processors.length), 'overview-processors'),
      tile('Views', String(o.views.length), 'overview-views'),
      tile('Sampled every', fmtInterval(o.intervalMs), 'overview-interval'),
    ),
    stateLegend(),
    h('h2', { class: 'group-title' }, 'Processors'),
    h('div', { class: 'items wide', testid: 'processor-list' }, o.processors.length ? o.processors.map(processorCard) : h('p', { class: 'muted' }, 'No processors.')),
    h('h2', { class: 'group-title' }, 'Views'),
    h('div', { class: 'items', testid: 'view-list' }, o.views.length ? o.views.map(viewCard) : h('p', { class: 'muted' }, 'No views.')),
    o.metrics ? h('p', { class: 'muted' }, 'Prometheus metrics: ', h('a', { href: pageUrl('/metrics'), testid: 'metrics-link' }, pageUrl('/metrics'))) : undefined,
  );
}

function recoveryList(partitions: readonly RecoveringPartition[], prefix: string): HTMLElement {
  const { pending, done } = recoveries(partitions);
  if (!pending.length) {
    return h('p', { class: 'muted', testid: prefix + '-recovery-none' }, done ? 'All ' + done + ' partition tables recovered.' : 'No table to recover.');
  }
  return h(
    'div',
    { class: 'recoveries' },
    pending.map((p) => h('div', { class: 'recovery-row' }, h('span', { class: 'recovery-label' }, 'partition ' + p.partition), progressBar(p.recovery, prefix + '-recovery-' + p.partition))),
  );
}

function trafficTable(traffic: readonly MonitorTopicTraffic[], withLag: boolean, testid: string): HTMLElement {
  const headers = ['topic', 'messages', 'bytes', 'rate', 'throughput'].concat(withLag ? ['lag'] : []);
  return table(
    headers,
    traffic.map((t) =>
      row(testid + '-' + t.topic, h('code', {}, t.topic), fmtInt(t.count), fmtBytes(t.bytes), fmtRate(t.rate), t.bytesRate === undefined ? '–' : fmtBytes(t.bytesRate) + '/s', withLag ? fmtInt(t.lag) : undefined),
    ),
    testid,
  );
}

function inputCell(inputs: readonly MonitorPartitionInput[]): HTMLElement[] {
  return inputs.map((i) => h('div', { class: 'input-line' }, h('code', {}, i.topic), ' @', fmtInt(i.offset), ' / ', fmtInt(i.hwm), ' · lag ', h('b', {}, fmtInt(i.lag)), ' · ', fmtRate(i.rate)));
}

function processorTiles(p: MonitorProcessorDetail): HTMLElement {
  const { totalLag, inputRate, outputRate, tableRate, standbyRate, hasOutputs, hasTable } = processorTotals(p);
  return h(
    'div',
    { class: 'tiles' },
    tile('Input rate', fmtRate(inputRate), 'tile-input-rate'),
    tile('Output rate', hasOutputs ? fmtRate(outputRate) : 'no outputs', 'tile-output-rate'),
    tile('Table writes', hasTable ? fmtRate(tableRate) : 'no table', 'tile-table-rate'),
    standbyRate === undefined ? undefined : tile('Standby apply', fmtRate(standbyRate), 'tile-standby-rate'),
    tile('Lag', fmtInt(totalLag), 'tile-lag', totalLag !== undefined && totalLag > 0 ? 'warn' : undefined),
    tile('Callback errors', fmtInt(p.callbackErrors), 'tile-errors', p.callbackErrors > 0 ? 'bad' : undefined),
    tile(
      'Skipped · dead-lettered · retried',
      fmtInt(p.errorPolicy.skipped) + ' · ' + fmtInt(p.errorPolicy.deadLettered) + ' · ' + fmtInt(p.errorPolicy.retried),
      'tile-error-policy',
      p.errorPolicy.skipped + p.errorPolicy.deadLettered > 0 ? 'warn' : undefined,
    ),
    tile('Commit latency', p.commitLatencyMs === undefined ? '–' : fmtNum(p.commitLatencyMs) + ' ms', 'tile-commit'),
    p.transactions === undefined
      ? tile('Guarantee', p.guarantee, 'tile-guarantee')
      : tile('Exactly-once: committed · aborted', fmtInt(p.transactions.committed) + ' · ' + fmtInt(p.transactions.aborted), 'tile-transactions', p.transactions.aborted > 0 ? 'warn' : undefined),
  );
}

export function drawProcessor(p: MonitorProcessorDetail): void {
  const { recovering, hasOutputs, hasTable } = processorTotals(p);
  const rateLines = [seriesLine(p.series, 'inputRate', 'input', 'input')];
  if (hasOutputs) rateLines.push(seriesLine(p.series, 'outputRate', 'output', 'output'));
  if (hasTable) rateLines.push({ ...seriesLine(p.series, 'tableRate', 'table', 'table writes'), dashed: true });
  if (recovering) rateLines.push(seriesLine(p.series, 'recoveryRate', 'recovery', 'recovery'));
  render(
    h('div', { class: 'subhead' }, phaseBadge(p.phase, 'phase'), badge(p.state, 'muted', 'state'), h('span', { class: 'muted' }, p.className + ' · sampled ' + fmtTime(p.sampledAt))),
    errorBox(p.error, 'error'),
    processorTiles(p),
    h(
      'div',
      { class: 'charts' },
      lineChart(rateLines, { testid: 'chart-rates', title: 'Messages per second', format: fmtRate }),
      lineChart(lagLines(p.series), { testid: 'chart-lag', title: 'Offset lag (messages), total and per partition', area: true, format: fmtInt }),
    ),
    section('Partitions', stateLegend(), partitionGrid(p.partitionList, 'partition')),
    section('Recovery', recoveryList(p.partitionList, 'partition')),
    section(
      'Partition details',
      table(
        ['partition', 'mode', 'state', 'inputs (offset / high-water mark · lag · rate)', 'table writes'],
        p.partitionList.map((part) => row('partition-row-' + part.partition, String(part.partition), part.mode, badge(part.state, 'st-' + part.state), inputCell(part.inputs), fmtRate(part.tableRate))),
        'partition-table',
      ),
    ),
    section('Inputs', trafficTable(p.inputs, true, 'inputs')),
    section('Outputs', trafficTable(p.outputs, false, 'outputs')),
    section('Group graph', graphDiagram(p.group, p.edges, 'graph')),
    p.lookups.length
      ? section(
          'Lookup tables',
          p.lookups.map((v) => h('div', { class: 'lookup' }, h('h3', {}, link('/views/' + encodeName(v.table), v.table), ' ', badge(v.state, 'muted')), partitionGrid(v.partitionList, 'lookup-' + v.table))),
        )
      : undefined,
    queryLink(p.group),
    p.visitors.length ? section('Visitors', h('p', {}, p.visitors.join(', '), ' · ', link('/actions', 'run on the actions page', 'visitors-link'))) : undefined,
  );
}

export function drawView(v: MonitorViewDetail): void {
  const totalLag = sumDefined(v.partitionList.map((p) => p.lag));
  const rate = sumDefined(v.partitionList.map((p) => p.rate));
  render(
    h('div', { class: 'subhead' }, phaseBadge(v.phase, 'phase'), badge(v.state, 'muted', 'state'), h('span', { class: 'muted' }, 'codec ' + v.codec + ' · sampled ' + fmtTime(v.sampledAt))),
    errorBox(v.error, 'error'),
    h(
      'div',
      { class: 'tiles' },
      tile('Records applied', fmtRate(rate), 'tile-apply-rate'),
      tile('Lag', fmtInt(totalLag), 'tile-lag', totalLag !== undefined && totalLag > 0 ? 'warn' : undefined),
      tile('Partitions', String(v.partitionList.length), 'tile-partitions'),
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart([seriesLine(v.series, 'tableRate', 'table', 'applied'), { ...seriesLine(v.series, 'recoveryRate', 'recovery', 'recovery'), dashed: true }], {
        testid: 'chart-rates',
        title: 'Records per second',
        format: fmtRate,
      }),
      lineChart(lagLines(v.series), { testid: 'chart-lag', title: 'Offset lag (records), total and per partition', area: true, format: fmtInt }),
    ),
    section('Partitions', stateLegend(), partitionGrid(v.partitionList, 'partition')),
    section('Recovery', recoveryList(v.partitionList, 'partition')),
    section(
      'Partition details',
      table(
        ['partition', 'state', 'offset', 'high-water mark', 'lag', 'rate'],
        v.partitionList.map((p) => row('partition-row-' + p.partition, String(p.partition), badge(p.state, 'st-' + p.state), fmtInt(p.offset), fmtInt(p.hwm), fmtInt(p.lag), fmtRate(p.rate))),
        'partition-table',
      ),
    ),
    queryLink(v.table),
  );
}

function queryLink(source: string): HTMLElement {
  return h('p', {}, link('/query?source=' + encodeName(source), 'Query this table', 'query-link'));
}
