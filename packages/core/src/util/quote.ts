/** Renders user-supplied strings and runtime types inside error and log messages. */

/** Longest rendering of a user-supplied string (key, value text) inside a message. */
const MAX_QUOTED = 120;

/** Quotes a user-supplied string for a message: JSON-escaped, cut after {@link MAX_QUOTED} chars. */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}

/** A short type description of a runtime value, like Go's `%T` (`string`, `null`, `Date`, `bigint`). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const ctor: unknown = Object.getPrototypeOf(value)?.constructor;
  return typeof ctor === 'function' && ctor.name !== '' ? ctor.name : 'object';
}
