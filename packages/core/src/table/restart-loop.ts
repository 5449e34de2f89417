import { GokaError } from '../errors/goka-error.js';
import type { SimpleBackoff } from '../util/backoff.js';
import { sleep } from '../util/backoff.js';

/** How {@link runRestarting} retries. */
export interface RestartOptions {
  readonly backoff: SimpleBackoff;
  /** Stops retrying: an abort ends the loop without error, also while it waits. */
  readonly signal: AbortSignal;
  /** Called after a retriable failure, before waiting `waitMs` (`retries` counts failures since the last reset). */
  readonly onRetry: (error: unknown, waitMs: number, retries: number) => void;
}

/** Whether an error is worth retrying: a {@link GokaError} with `retriable` set. */
export function isRetriable(error: unknown): boolean {
  return error instanceof GokaError && error.retriable;
}

/**
 * Goka's `loadRestarting`: runs `attempt` until it resolves. A retriable error (see
 * {@link isRetriable}) is reported to `onRetry` and retried after the backoff's next wait; any other
 * error is thrown. Once an attempt has run `backoff.resetAfter` ms without failing, the backoff
 * starts over at 0. Errors after `signal` aborted end the loop quietly.
 */
export async function runRestarting(attempt: () => Promise<void>, options: RestartOptions): Promise<void> {
  const { backoff, signal, onRetry } = options;
  let retries = 0;
  let resetTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      try {
        await attempt();
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (!isRetriable(error)) throw error;
        clearTimeout(resetTimer);
        retries += 1;
        const wait = backoff.duration();
        onRetry(error, wait, retries);
        if (!(await sleep(wait, signal))) return;
        resetTimer = setTimeout(() => {
          backoff.reset();
          retries = 0;
        }, backoff.resetAfter);
      }
    }
  } finally {
    clearTimeout(resetTimer);
  }
}
