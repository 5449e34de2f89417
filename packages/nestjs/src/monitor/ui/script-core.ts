/**
 * The browser script's basics: page context from `<body data-*>`, element builders (text only via
 * `textContent`, never `innerHTML`), number/time formatting and the JSON client.
 * Plain modern JS kept as a string (no backticks or template placeholders inside).
 */
export const SCRIPT_CORE = String.raw`
const PAGE = {
  kind: document.body.dataset.kind || 'index',
  name: document.body.dataset.name || '',
  base: document.body.dataset.base || '',
};
const SVG_NS = 'http://www.w3.org/2000/svg';
const STATES = ['recovering', 'running', 'standby', 'stalled', 'failed', 'connecting', 'stopping', 'idle'];

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (name === 'testid') {
      node.setAttribute('data-testid', value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return node;
}

function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

function fmtNum(value, digits) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return (value / 1e9).toFixed(1) + 'G';
  if (abs >= 1e6) return (value / 1e6).toFixed(1) + 'M';
  if (abs >= 1e4) return (value / 1e3).toFixed(1) + 'k';
  const fraction = digits === undefined ? (abs < 10 ? 1 : 0) : digits;
  return value.toLocaleString('en-US', { minimumFractionDigits: Number.isInteger(value) ? 0 : fraction, maximumFractionDigits: fraction });
}

/** Exact, grouped: offsets, high-water marks, lag and counts (compact forms only for rates and axis ticks). */
function fmtInt(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

function fmtRate(value) {
  return value === undefined || value === null ? '–' : fmtNum(value) + '/s';
}

function fmtBytes(value) {
  if (value === undefined || value === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = value;
  let unit = 0;
  while (Math.abs(n) >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return (unit === 0 ? String(Math.round(n)) : n.toFixed(1)) + ' ' + units[unit];
}

function fmtDuration(seconds) {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return hours + 'h ' + minutes + 'm';
  if (minutes > 0) return minutes + 'm ' + secs + 's';
  return secs + 's';
}

function fmtInterval(ms) {
  return ms < 1000 ? Math.round(ms) + ' ms' : fmtDuration(ms / 1000);
}

function fmtTime(ms) {
  if (ms === undefined || ms === null) return '–';
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

function fmtDateTime(ms) {
  if (ms === undefined || ms === null) return '–';
  const date = new Date(ms);
  return date.toLocaleDateString('en-CA') + ' ' + date.toLocaleTimeString('en-GB', { hour12: false });
}

function sumDefined(values) {
  let total;
  for (const value of values) if (value !== undefined && value !== null) total = (total || 0) + value;
  return total;
}

function pageUrl(path) {
  return PAGE.base + path;
}

function apiUrl(path) {
  return PAGE.base + '/api/' + path;
}

async function api(path, init) {
  const response = await fetch(apiUrl(path), {
    credentials: 'same-origin',
    ...init,
    headers: { accept: 'application/json', ...(init && init.headers) },
  });
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = body && typeof body.message === 'string' ? body.message : response.status + ' ' + response.statusText;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

function setStatus(text, failed) {
  const status = document.querySelector('[data-testid="status"]');
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('bad', Boolean(failed));
}

function render(...children) {
  const app = document.getElementById('app');
  app.replaceChildren();
  append(app, children);
}

function poll(load, draw) {
  let timer;
  let busy = false;
  let intervalMs = 2000;
  async function tick() {
    clearTimeout(timer);
    if (busy) return;
    busy = true;
    try {
      const data = await load();
      if (data && data.intervalMs > 0) intervalMs = Math.max(250, data.intervalMs);
      draw(data);
      setStatus('updated ' + fmtTime(Date.now()) + ' · every ' + fmtInterval(intervalMs), false);
    } catch (error) {
      if (error.status === 404) {
        render(h('div', { class: 'message bad', testid: 'not-found' }, error.message));
        setStatus('not found', true);
        return;
      }
      setStatus('update failed: ' + error.message, true);
    } finally {
      busy = false;
    }
    if (!document.hidden) timer = setTimeout(tick, intervalMs);
  }
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) tick();
  });
  tick();
}
`;
