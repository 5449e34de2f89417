import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** @default 50 */
  readonly intervalMs?: number;
}

/**
 * Retries `check` (an assertion) until it passes or the time is up, then rethrows its last failure.
 * For eventually consistent state (a view catching up); the check is the signal, the interval only
 * paces it.
 */
export async function eventually(check: () => unknown, options: EventuallyOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await delay(options.intervalMs ?? 50);
  }
}
