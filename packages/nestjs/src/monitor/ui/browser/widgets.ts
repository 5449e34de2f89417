import type { MonitorEdge, MonitorPartitionInput, MonitorPartitionState, MonitorPhase, MonitorRecovery } from '../../interfaces/monitor-api.interface.js';
import { graphColumns, partitionCaption } from './derive.js';
import { h } from './dom.js';
import type { Child } from './dom.js';
import { fmtInt, sumDefined } from './format.js';
import { pageUrl } from './page.js';

/**
 * The pages' building blocks: badges, stat tiles, tables, the partition grid and the group-graph
 * diagram (inputs, joins and lookups → processor with table and loop → outputs).
 */

const PHASE_TONE: Readonly<Record<MonitorPhase, string>> = { ready: 'good', starting: 'warn', created: 'muted', failed: 'bad', stopped: 'muted' };

export function badge(text: string, tone: string | undefined, testid?: string): HTMLElement {
  return h('span', { class: 'badge ' + (tone || 'muted'), testid }, text);
}

export function phaseBadge(phase: MonitorPhase, testid: string): HTMLElement {
  return badge(phase, PHASE_TONE[phase], testid);
}

export function tile(label: string, value: string, testid: string, tone?: string): HTMLElement {
  return h('div', { class: 'tile' + (tone ? ' ' + tone : ''), testid }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function table(headers: readonly string[], rows: readonly HTMLElement[], testid: string): HTMLElement {
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

/** A table row; `undefined` cells (a column the table does not have) are left out. */
export function row(testid: string, ...cells: Child[]): HTMLElement {
  return h('tr', { testid }, cells.filter((cell) => cell !== undefined).map((cell) => h('td', {}, cell)));
}

export function errorBox(message: string | undefined, testid: string): HTMLElement | undefined {
  return message ? h('div', { class: 'message bad', testid }, message) : undefined;
}

/** A partition of a processor or of a view, as the grid shows it. */
export interface GridPartition {
  readonly partition: number;
  readonly state: MonitorPartitionState;
  readonly mode?: 'active' | 'standby';
  readonly lag?: number | undefined;
  readonly inputs?: readonly MonitorPartitionInput[];
  readonly recovery: MonitorRecovery | undefined;
}

export function partitionGrid(partitions: readonly GridPartition[], prefix: string): HTMLElement {
  return h(
    'div',
    { class: 'partition-grid', testid: prefix + '-grid' },
    partitions.map((p) => {
      const extra = p.mode === 'standby' ? ' (standby copy)' : '';
      const lag = p.lag !== undefined ? p.lag : sumDefined((p.inputs ?? []).map((input) => input.lag));
      return h(
        'div',
        { class: 'cell st-' + p.state, testid: prefix + '-' + p.partition, 'data-state': p.state, title: 'partition ' + p.partition + ': ' + p.state + extra + ', lag ' + fmtInt(lag) },
        h('b', {}, String(p.partition)),
        h('span', {}, partitionCaption(p.state, p.recovery)),
      );
    }),
  );
}

function edgeChip(edge: MonitorEdge): HTMLElement {
  return h('li', { class: 'edge', testid: 'edge-' + edge.kind + '-' + edge.topic }, h('span', { class: 'kind k-' + edge.kind }, edge.kind), ' ', h('code', {}, edge.topic), ' ', h('small', {}, edge.codec));
}

function column(edges: readonly MonitorEdge[], cls: string): HTMLElement {
  return h('ul', { class: 'graph-col ' + cls }, edges.length ? edges.map(edgeChip) : h('li', { class: 'muted' }, 'none'));
}

export function graphDiagram(group: string, edges: readonly MonitorEdge[], testid: string): HTMLElement {
  const { incoming, own, outgoing } = graphColumns(edges);
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

export function link(path: string, text: string, testid?: string): HTMLElement {
  return h('a', { href: pageUrl(path), testid }, text);
}
