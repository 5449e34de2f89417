import type { MonitorActionStatus } from '../../interfaces/monitor-api.interface.js';
import { actionBadge, actionFields } from './derive.js';
import { app, h, render } from './dom.js';
import { api, encodeName, errorMessage } from './page.js';
import { badge } from './widgets.js';

/**
 * The actions page: start with a value, stop, state, times, last error. It refreshes its cards in
 * place so typed values survive the polling.
 */

interface ActionCard {
  readonly card: HTMLElement;
  readonly state: HTMLElement;
  readonly fields: HTMLElement;
  readonly start: HTMLButtonElement;
  readonly stop: HTMLButtonElement;
}

const actionCards = new Map<string, ActionCard>();

function actionCard(action: MonitorActionStatus): ActionCard {
  const id = 'action-' + action.name;
  const value = h('input', { name: 'value', placeholder: 'value (optional)', autocomplete: 'off', testid: id + '-value' });
  const message = h('div', { class: 'action-message', testid: id + '-message', 'aria-live': 'polite' });
  async function call(verb: 'start' | 'stop', body?: { value?: string }): Promise<void> {
    message.replaceChildren();
    try {
      const status = await api<MonitorActionStatus>('actions/' + encodeName(action.name) + '/' + verb, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      updateAction(status);
    } catch (error) {
      message.replaceChildren(h('div', { class: 'message bad' }, errorMessage(error)));
    }
  }
  const start = h('button', { type: 'submit', testid: id + '-start' }, 'Start');
  const stop = h('button', { type: 'button', class: 'secondary', testid: id + '-stop', on: { click: () => void call('stop') } }, 'Stop');
  const fields = h('dl', { class: 'action-fields' });
  const state = h('span', { testid: id + '-state' });
  const submit = (event: Event): void => {
    event.preventDefault();
    void call('start', value.value ? { value: value.value } : {});
  };
  const form = h('form', { class: 'action-form', on: { submit } }, value, start, stop);
  const card = h('article', { class: 'card item', testid: id }, h('div', { class: 'item-head' }, h('h3', {}, action.name), state), h('p', { class: 'muted' }, action.description), form, message, fields);
  const entry = { card, state, fields, start, stop };
  actionCards.set(action.name, entry);
  return entry;
}

function updateAction(action: MonitorActionStatus): HTMLElement {
  const entry = actionCards.get(action.name) ?? actionCard(action);
  const id = 'action-' + action.name;
  const shown = actionBadge(action);
  entry.state.replaceChildren(badge(shown.label, shown.tone, id + '-badge'));
  entry.state.setAttribute('data-state', action.running ? 'running' : 'stopped');
  entry.start.disabled = action.running;
  entry.stop.disabled = !action.running;
  entry.fields.replaceChildren(
    ...actionFields(action, Date.now()).flatMap(([label, text, key]) => [
      h('dt', {}, label),
      h('dd', { testid: id + '-' + key, class: key === 'error' && action.lastError ? 'bad-text' : undefined }, text),
    ]),
  );
  return entry.card;
}

export function drawActions(list: readonly MonitorActionStatus[]): void {
  if (!list.length) {
    render(h('div', { class: 'message warn', testid: 'actions-empty' }, 'No actions: processors with visitors and actions the app registers appear here.'));
    return;
  }
  let container = app().querySelector('[data-testid="action-list"]');
  if (!container) {
    container = h('div', { class: 'items', testid: 'action-list' });
    render(container);
  }
  for (const action of list) {
    const card = updateAction(action);
    if (card.parentNode !== container) container.append(card);
  }
}
