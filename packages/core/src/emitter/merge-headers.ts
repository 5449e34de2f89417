import type { Headers } from '../kafka/message.js';

/** Whether `headers` has no header (without allocating a key list). */
export function isEmptyHeaders(headers: Headers): boolean {
  for (const _ in headers) return false;
  return true;
}

/** `headers`, or `undefined` when there are none: Goka sends an empty header set as "no headers". */
export function compactHeaders(headers: Headers | undefined): Headers | undefined {
  return headers === undefined || isEmptyHeaders(headers) ? undefined : headers;
}

/**
 * The headers of one record: `defaults` merged with `given`, where `given` wins (Goka's
 * `Headers.Merged`). Neither input is mutated; a new object is made only when `given` has headers.
 * `defaults` must already be compacted (`undefined` when empty). Returns `undefined` for no headers.
 */
export function mergeHeaders(defaults: Headers | undefined, given: Headers | undefined): Headers | undefined {
  if (given === undefined || isEmptyHeaders(given)) return defaults;
  return defaults === undefined ? { ...given } : { ...defaults, ...given };
}
