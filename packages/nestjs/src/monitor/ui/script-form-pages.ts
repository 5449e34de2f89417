/**
 * The browser script's interactive pages: the query page (pick a table, enter a key, read the
 * decoded value or a clear message) and the actions page (start with a value, stop, state, times,
 * last error), which refreshes its cards in place so typed values survive the polling.
 */
export const SCRIPT_FORM_PAGES = String.raw`
async function drawQuery() {
  const params = new URLSearchParams(location.search);
  let sources;
  try {
    sources = (await api('query')).sources;
  } catch (error) {
    render(h('div', { class: 'message bad', testid: 'query-message' }, 'Could not load the tables: ' + error.message));
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
  async function run(event) {
    if (event) event.preventDefault();
    const source = select.value;
    const value = key.value;
    history.replaceState(null, '', pageUrl('/query?source=' + encodeName(source) + '&key=' + encodeName(value)));
    output.replaceChildren(h('p', { class: 'muted' }, 'Querying…'));
    try {
      const result = await api('query/' + encodeName(source) + '?key=' + encodeName(value));
      output.replaceChildren(
        result.found
          ? h('div', {}, h('p', { class: 'muted', testid: 'query-found' }, 'Key ', h('code', {}, result.key), ' in ', h('code', {}, result.source), ':'), h('pre', { class: 'value', testid: 'query-result' }, result.text))
          : h('div', { class: 'message warn', testid: 'query-message' }, result.text),
      );
    } catch (error) {
      output.replaceChildren(h('div', { class: 'message bad', testid: 'query-message' }, error.message));
    }
  }
  const form = h(
    'form',
    { class: 'query-form card', testid: 'query-form', on: { submit: run } },
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
  if (sources.length && key.value) run();
}

const actionCards = new Map();

function actionCard(action) {
  const id = 'action-' + action.name;
  const value = h('input', { name: 'value', placeholder: 'value (optional)', autocomplete: 'off', testid: id + '-value' });
  const message = h('div', { class: 'action-message', testid: id + '-message', 'aria-live': 'polite' });
  async function call(verb, body) {
    message.replaceChildren();
    try {
      const status = await api('actions/' + encodeName(action.name) + '/' + verb, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body || {}),
      });
      updateAction(status);
    } catch (error) {
      message.replaceChildren(h('div', { class: 'message bad' }, error.message));
    }
  }
  const start = h('button', { type: 'submit', testid: id + '-start' }, 'Start');
  const stop = h('button', { type: 'button', class: 'secondary', testid: id + '-stop', on: { click: () => call('stop') } }, 'Stop');
  const fields = h('dl', { class: 'action-fields' });
  const state = h('span', { testid: id + '-state' });
  const form = h('form', { class: 'action-form', on: { submit: (event) => { event.preventDefault(); call('start', value.value ? { value: value.value } : {}); } } }, value, start, stop);
  const card = h('article', { class: 'card item', testid: id }, h('div', { class: 'item-head' }, h('h3', {}, action.name), state), h('p', { class: 'muted' }, action.description), form, message, fields);
  const entry = { card, state, fields, start, stop };
  actionCards.set(action.name, entry);
  return entry;
}

function updateAction(action) {
  const entry = actionCards.get(action.name) || actionCard(action);
  const id = 'action-' + action.name;
  entry.state.replaceChildren(badge(action.running ? 'running' : action.lastError ? 'failed' : action.runs ? 'finished' : 'idle', action.running ? 'warn' : action.lastError ? 'bad' : action.runs ? 'good' : 'muted', id + '-badge'));
  entry.state.setAttribute('data-state', action.running ? 'running' : 'stopped');
  entry.start.disabled = action.running;
  entry.stop.disabled = !action.running;
  const end = action.finishedAt || (action.running ? Date.now() : undefined);
  const pairs = [
    ['Runs', String(action.runs), 'runs'],
    ['Started', fmtDateTime(action.startedAt), 'started'],
    ['Finished', action.running ? 'running…' : fmtDateTime(action.finishedAt), 'finished'],
    ['Duration', action.startedAt && end ? fmtDuration((end - action.startedAt) / 1000) : '–', 'duration'],
    ['Value', action.value === undefined ? '–' : action.value, 'last-value'],
    ['Result', action.result === undefined ? '–' : action.result, 'result'],
    ['Last error', action.lastError || 'none', 'error'],
  ];
  entry.fields.replaceChildren(...pairs.flatMap(([label, text, key]) => [h('dt', {}, label), h('dd', { testid: id + '-' + key, class: key === 'error' && action.lastError ? 'bad-text' : undefined }, text)]));
  return entry.card;
}

function drawActions(list) {
  const app = document.getElementById('app');
  if (!list.length) {
    render(h('div', { class: 'message warn', testid: 'actions-empty' }, 'No actions: processors with visitors and actions the app registers appear here.'));
    return;
  }
  let container = app.querySelector('[data-testid="action-list"]');
  if (!container) {
    container = h('div', { class: 'items', testid: 'action-list' });
    render(container);
  }
  for (const action of list) {
    const card = updateAction(action);
    if (card.parentNode !== container) container.append(card);
  }
}
`;
