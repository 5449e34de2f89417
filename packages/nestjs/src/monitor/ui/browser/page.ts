import { h, render, setStatus } from './dom.js';
import { fmtInterval, fmtTime } from './format.js';

/** What the page shell says about the page (`<body data-kind data-name data-base>`). */
export interface PageContext {
  readonly kind: string;
  readonly name: string;
  /** The mount path, e.g. `/goka`; `''` at the root. */
  readonly base: string;
}

/** Read once, when the page's script runs. */
export const PAGE: PageContext = {
  kind: document.body.dataset['kind'] || 'index',
  name: document.body.dataset['name'] || '',
  base: document.body.dataset['base'] || '',
};

/** A failed API call, with the HTTP status (404: the processor or view is gone). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function encodeName(name: string): string {
  return encodeURIComponent(name);
}

export function pageUrl(path: string): string {
  return PAGE.base + path;
}

export function apiUrl(path: string): string {
  return PAGE.base + '/api/' + path;
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Fetches `{base}/api/{path}` as JSON; throws an {@link ApiError} with the server's `message` (a
 * `MonitorErrorBody`) or the status line.
 */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(apiUrl(path), {
    credentials: 'same-origin',
    ...init,
    headers: { accept: 'application/json', ...(init?.headers as Record<string, string> | undefined) },
  });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new ApiError(typeof message === 'string' ? message : response.status + ' ' + response.statusText, response.status);
  }
  return body as T;
}

/**
 * Loads and draws now, then again every `intervalMs` of the loaded document (the server's sampling
 * pace, at least 250 ms) while the page is visible; stops on a 404 (the component is gone).
 */
export function poll<T extends { readonly intervalMs?: number }>(load: () => Promise<T>, draw: (data: T) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;
  let intervalMs = 2000;
  async function tick(): Promise<void> {
    clearTimeout(timer);
    if (busy) return;
    busy = true;
    try {
      const data = await load();
      if (data.intervalMs !== undefined && data.intervalMs > 0) intervalMs = Math.max(250, data.intervalMs);
      draw(data);
      setStatus('updated ' + fmtTime(Date.now()) + ' · every ' + fmtInterval(intervalMs), false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        render(h('div', { class: 'message bad', testid: 'not-found' }, error.message));
        setStatus('not found', true);
        return;
      }
      setStatus('update failed: ' + errorMessage(error), true);
    } finally {
      busy = false;
    }
    if (!document.hidden) timer = setTimeout(() => void tick(), intervalMs);
  }
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void tick();
  });
  void tick();
}
