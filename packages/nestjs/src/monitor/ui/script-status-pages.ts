/**
 * The browser script's live pages: the index (processors and views with their group graphs) and
 * the processor and view pages (tiles, rate and lag charts, partition grid, recovery, tables).
 */
export const SCRIPT_STATUS_PAGES = String.raw`
function processorCard(p) {
  const path = '/processors/' + encodeName(p.group);
  return h(
    'article',
    { class: 'card item', testid: 'processor-' + p.group },
    h(
      'div',
      { class: 'item-head' },
      h('h3', {}, link(path, p.group, 'processor-link-' + p.group)),
      phaseBadge(p.phase, 'processor-phase-' + p.group),
      h('span', { class: 'muted' }, p.className + ' · ' + p.state),
    ),
    errorBox(p.error, 'processor-error-' + p.group),
    stateBar(p.partitions, 'processor-states-' + p.group),
    graphDiagram(p.group, p.edges, 'processor-graph-' + p.group),
    p.visitors.length ? h('p', { class: 'muted' }, 'Visitors: ', p.visitors.join(', '), ' · ', link('/actions', 'actions')) : undefined,
  );
}

function viewCard(v) {
  const path = '/views/' + encodeName(v.table);
  return h(
    'article',
    { class: 'card item', testid: 'view-' + v.table },
    h(
      'div',
      { class: 'item-head' },
      h('h3', {}, link(path, v.table, 'view-link-' + v.table)),
      phaseBadge(v.phase, 'view-phase-' + v.table),
      h('span', { class: 'muted' }, v.codec + ' · ' + v.state),
    ),
    errorBox(v.error, 'view-error-' + v.table),
    stateBar(v.partitions, 'view-states-' + v.table),
  );
}

function drawIndex(o) {
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

function recoveryList(partitions, prefix) {
  const pending = partitions.filter((p) => p.recovery && (p.state === 'recovering' || p.recovery.progress < 1));
  if (!pending.length) {
    const done = partitions.filter((p) => p.recovery && p.recovery.progress >= 1).length;
    return h('p', { class: 'muted', testid: prefix + '-recovery-none' }, done ? 'All ' + done + ' partition tables recovered.' : 'No table to recover.');
  }
  return h(
    'div',
    { class: 'recoveries' },
    pending.map((p) => h('div', { class: 'recovery-row' }, h('span', { class: 'recovery-label' }, 'partition ' + p.partition), progressBar(p.recovery, prefix + '-recovery-' + p.partition))),
  );
}

function trafficTable(traffic, withLag, testid) {
  const headers = ['topic', 'messages', 'bytes', 'rate', 'throughput'].concat(withLag ? ['lag'] : []);
  return table(
    headers,
    traffic.map((t) => row(testid + '-' + t.topic, h('code', {}, t.topic), fmtInt(t.count), fmtBytes(t.bytes), fmtRate(t.rate), t.bytesRate === undefined ? '–' : fmtBytes(t.bytesRate) + '/s', withLag ? fmtInt(t.lag) : undefined)),
    testid,
  );
}

function inputCell(inputs) {
  return inputs.map((i) =>
    h('div', { class: 'input-line' }, h('code', {}, i.topic), ' @', fmtInt(i.offset), ' / ', fmtInt(i.hwm), ' · lag ', h('b', {}, fmtInt(i.lag)), ' · ', fmtRate(i.rate)),
  );
}

function drawProcessor(p) {
  const totalLag = sumDefined(p.inputs.map((i) => i.lag));
  const inputRate = sumDefined(p.inputs.map((i) => i.rate));
  const outputRate = sumDefined(p.outputs.map((o) => o.rate));
  // Group-table writes of active partitions (what the chart counts); standby copies apply separately.
  const tableRate = sumDefined(p.partitionList.filter((part) => part.mode === 'active').map((part) => part.tableRate));
  const standbyRate = sumDefined(p.partitionList.filter((part) => part.mode === 'standby').map((part) => part.tableRate));
  const recovering = p.series.some((sample) => sample.recoveryRate > 0) || p.partitionList.some((part) => part.state === 'recovering');
  const hasOutputs = p.edges.some((edge) => edge.kind === 'output');
  const hasTable = p.edges.some((edge) => edge.kind === 'table');
  const rateLines = [seriesLine(p.series, 'inputRate', 'input', 'input')];
  if (hasOutputs) rateLines.push(seriesLine(p.series, 'outputRate', 'output', 'output'));
  if (hasTable) rateLines.push({ ...seriesLine(p.series, 'tableRate', 'table', 'table writes'), dashed: true });
  if (recovering) rateLines.push(seriesLine(p.series, 'recoveryRate', 'recovery', 'recovery'));
  render(
    h('div', { class: 'subhead' }, phaseBadge(p.phase, 'phase'), badge(p.state, 'muted', 'state'), h('span', { class: 'muted' }, p.className + ' · sampled ' + fmtTime(p.sampledAt))),
    errorBox(p.error, 'error'),
    h(
      'div',
      { class: 'tiles' },
      tile('Input rate', fmtRate(inputRate), 'tile-input-rate'),
      tile('Output rate', hasOutputs ? fmtRate(outputRate) : 'no outputs', 'tile-output-rate'),
      tile('Table writes', hasTable ? fmtRate(tableRate) : 'no table', 'tile-table-rate'),
      standbyRate === undefined ? undefined : tile('Standby apply', fmtRate(standbyRate), 'tile-standby-rate'),
      tile('Lag', fmtInt(totalLag), 'tile-lag', totalLag > 0 ? 'warn' : undefined),
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
        : tile(
            'Exactly-once: committed · aborted',
            fmtInt(p.transactions.committed) + ' · ' + fmtInt(p.transactions.aborted),
            'tile-transactions',
            p.transactions.aborted > 0 ? 'warn' : undefined,
          ),
    ),
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

function drawView(v) {
  const totalLag = sumDefined(v.partitionList.map((p) => p.lag));
  const rate = sumDefined(v.partitionList.map((p) => p.rate));
  render(
    h('div', { class: 'subhead' }, phaseBadge(v.phase, 'phase'), badge(v.state, 'muted', 'state'), h('span', { class: 'muted' }, 'codec ' + v.codec + ' · sampled ' + fmtTime(v.sampledAt))),
    errorBox(v.error, 'error'),
    h(
      'div',
      { class: 'tiles' },
      tile('Records applied', fmtRate(rate), 'tile-apply-rate'),
      tile('Lag', fmtInt(totalLag), 'tile-lag', totalLag > 0 ? 'warn' : undefined),
      tile('Partitions', String(v.partitionList.length), 'tile-partitions'),
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart([seriesLine(v.series, 'tableRate', 'table', 'applied'), { ...seriesLine(v.series, 'recoveryRate', 'recovery', 'recovery'), dashed: true }], { testid: 'chart-rates', title: 'Records per second', format: fmtRate }),
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

function queryLink(source) {
  return h('p', {}, link('/query?source=' + encodeName(source), 'Query this table', 'query-link'));
}
`;
