import type { MonitorQueryResult, MonitorQuerySources } from '../../interfaces/monitor-api.interface.js';
import { h, render, setStatus } from './dom.js';
import { api, apiUrl, encodeName, errorMessage, pageUrl } from './page.js';

/** The query page: pick a table, enter a key, read the decoded value or a clear message. */
export async function drawQuery(): Promise<void> {
  const params = new URLSearchParams(location.search);
  let sources: MonitorQuerySources['sources'];
  try {
    sources = (await api<MonitorQuerySources>('query')).sources;
  } catch (error) {
    render(h('div', { class: 'message bad', testid: 'query-message' }, 'Could not load the tables: ' + errorMessage(error)));
    return;
  }
  const select = h(
    'select',
    { id: 'query-source', name: 'source', testid: 'query-source', required: true },
    sources.map((src) => h('option', { value: src.name }, src.name + ' — ' + src.kind + ' · ' + src.table + ' · ' + src.codec)),
  );
  const wanted = params.get('source');
  if (wanted && sources.some((src) => src.name === wanted)) select.value = wanted;
  const key = h('input', { id: 'query-key', name: 'key', testid: 'query-key', placeholder: 'key', autocomplete: 'off', required: true, value: params.get('key') || '' });
  const output = h('div', { class: 'query-output', testid: 'query-output', 'aria-live': 'polite' });
  async function run(event?: Event): Promise<void> {
    event?.preventDefault();
    const source = select.value;
    const value = key.value;
    history.replaceState(null, '', pageUrl('/query?source=' + encodeName(source) + '&key=' + encodeName(value)));
    output.replaceChildren(h('p', { class: 'muted' }, 'Querying…'));
    try {
      const result = await api<MonitorQueryResult>('query/' + encodeName(source) + '?key=' + encodeName(value));
      output.replaceChildren(
        result.found
          ? h('div', {}, h('p', { class: 'muted', testid: 'query-found' }, 'Key ', h('code', {}, result.key), ' in ', h('code', {}, result.source), ':'), h('pre', { class: 'value', testid: 'query-result' }, result.text))
          : h('div', { class: 'message warn', testid: 'query-message' }, result.text),
      );
    } catch (error) {
      output.replaceChildren(h('div', { class: 'message bad', testid: 'query-message' }, errorMessage(error)));
    }
  }
  const form = h(
    'form',
    { class: 'query-form card', testid: 'query-form', on: { submit: (event) => void run(event) } },
    h('label', { for: 'query-source' }, 'Table'),
    select,
    h('label', { for: 'query-key' }, 'Key'),
    key,
    h('button', { type: 'submit', testid: 'query-submit' }, 'Get value'),
  );
  render(
    sources.length ? form : h('div', { class: 'message warn', testid: 'query-message' }, 'No table to query: this app runs no processor with a group table and no view.'),
    output,
    h('p', { class: 'muted' }, 'JSON: ', h('code', {}, apiUrl('query/{table}?key={key}'))),
  );
  setStatus('', false);
  if (sources.length && key.value) await run();
}
