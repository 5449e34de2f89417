import { backoffInvalidOption } from './util.messages.js';

/** Settings of {@link SimpleBackoff} (Goka's `WithBackoffBuilder` / `WithBackoffResetTimeout`), in milliseconds. */
export interface BackoffOptions {
  /** Added to the wait after each failure. @default 10_000 */
  readonly step?: number;
  /** The longest wait. @default 120_000 */
  readonly max?: number;
  /** Running this long without a new failure resets the wait to 0. @default 60_000 */
  readonly resetAfter?: number;
}

/** Goka's backoff defaults: 0 s, 10 s, 20 s, ... up to 120 s; reset after 60 s without error. */
export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = Object.freeze({
  step: 10_000,
  max: 120_000,
  resetAfter: 60_000,
});

/**
 * Goka's simple backoff: {@link duration} returns the current wait, then adds `step` unless that
 * would exceed `max` — 0, step, 2·step, ..., max, max, ...; {@link reset} starts over at 0.
 */
export class SimpleBackoff {
  readonly step: number;
  readonly max: number;
  readonly resetAfter: number;
  #current = 0;

  /** @throws RangeError when a setting is not a non-negative finite number */
  constructor(options: BackoffOptions = {}) {
    this.step = checked('step', options.step ?? DEFAULT_BACKOFF.step);
    this.max = checked('max', options.max ?? DEFAULT_BACKOFF.max);
    this.resetAfter = checked('resetAfter', options.resetAfter ?? DEFAULT_BACKOFF.resetAfter);
  }

  /** The wait before the next attempt, in milliseconds; each call moves one step up (until `max`). */
  duration(): number {
    const value = this.#current;
    if (this.#current + this.step <= this.max) this.#current += this.step;
    return value;
  }

  /** Back to a wait of 0. */
  reset(): void {
    this.#current = 0;
  }
}

function checked(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(backoffInvalidOption(option, value));
  }
  return value;
}

/**
 * Waits `ms` milliseconds (with `setTimeout`, so fake timers control it). Resolves `true` when the
 * time passed and `false` as soon as `signal` aborts (at once if it already has).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
