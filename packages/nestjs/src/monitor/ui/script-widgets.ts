/**
 * The browser script's building blocks: badges, stat tiles, tables, the partition grid and the
 * group-graph diagram (inputs, joins and lookups → processor with table and loop → outputs).
 */
export const SCRIPT_WIDGETS = String.raw`
const PHASE_TONE = { ready: 'good', starting: 'warn', created: 'muted', failed: 'bad', stopped: 'muted' };

function badge(text, tone, testid) {
  return h('span', { class: 'badge ' + (tone || 'muted'), testid }, text);
}

function phaseBadge(phase, testid) {
  return badge(phase, PHASE_TONE[phase], testid);
}

function tile(label, value, testid, tone) {
  return h('div', { class: 'tile' + (tone ? ' ' + tone : ''), testid }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
}

function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

function table(headers, rows, testid) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid },
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', {}, header)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, 'none'))),
    ),
  );
}

function row(testid, ...cells) {
  return h('tr', { testid }, cells.filter((cell) => cell !== undefined).map((cell) => h('td', {}, cell)));
}

function errorBox(message, testid) {
  return message ? h('div', { class: 'message bad', testid }, message) : undefined;
}

function partitionGrid(partitions, prefix) {
  return h(
    'div',
    { class: 'partition-grid', testid: prefix + '-grid' },
    partitions.map((p) => {
      const extra = p.mode === 'standby' ? ' (standby copy)' : '';
      const lag = p.lag !== undefined ? p.lag : sumDefined((p.inputs || []).map((input) => input.lag));
      return h(
        'div',
        {
          class: 'cell st-' + p.state,
          testid: prefix + '-' + p.partition,
          'data-state': p.state,
          title: 'partition ' + p.partition + ': ' + p.state + extra + ', lag ' + fmtInt(lag),
        },
        h('b', {}, String(p.partition)),
        h('span', {}, p.state === 'recovering' && p.recovery ? 'recovering ' + Math.floor(p.recovery.progress * 100) + '%' : p.state),
      );
    }),
  );
}

function edgeChip(edge) {
  return h('li', { class: 'edge', testid: 'edge-' + edge.kind + '-' + edge.topic }, h('span', { class: 'kind k-' + edge.kind }, edge.kind), ' ', h('code', {}, edge.topic), ' ', h('small', {}, edge.codec));
}

function graphDiagram(group, edges, testid) {
  const incoming = edges.filter((e) => e.kind === 'input' || e.kind === 'join' || e.kind === 'lookup');
  const own = edges.filter((e) => e.kind === 'table' || e.kind === 'loop');
  const outgoing = edges.filter((e) => e.kind === 'output');
  const column = (edgesOf, cls) => h('ul', { class: 'graph-col ' + cls }, edgesOf.length ? edgesOf.map(edgeChip) : h('li', { class: 'muted' }, 'none'));
  return h(
    'div',
    { class: 'graph', testid },
    column(incoming, 'in'),
    h('div', { class: 'arrow' }, '→'),
    h('div', { class: 'graph-node' }, h('b', {}, group), column(own, 'own')),
    h('div', { class: 'arrow' }, '→'),
    column(outgoing, 'out'),
  );
}

function link(path, text, testid) {
  return h('a', { href: pageUrl(path), testid }, text);
}

function encodeName(name) {
  return encodeURIComponent(name);
}
`;
