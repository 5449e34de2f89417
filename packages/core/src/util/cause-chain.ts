/** Wrappers (a client's retrier, our adapters) nest a few levels deep; the bound guards against a cyclic `cause`. */
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
