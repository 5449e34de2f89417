/** Wrappers (kafkajs' retrier, our adapter) nest a few levels deep; the bound guards against a cyclic `cause`. */
const MAX_CAUSE_DEPTH = 6;

/**
 * The first error in `error`'s cause chain (itself first) for which `pick` returns something, or
 * `undefined`; looks at most a few levels deep.
 */
export function findCause<T>(error: unknown, pick: (error: object) => T | undefined): T | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const found = pick(current);
    if (found !== undefined) return found;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
