/**
 * `value` made JSON-safe for the monitor's answers: bigint → decimal string, Buffer and other
 * byte arrays → base64 string, Map → object, Set → array, non-finite numbers → string; other
 * objects are copied with their own enumerable properties (`toJSON` is honoured, e.g. Date).
 */
export function jsonSafe(value: unknown, seen: ReadonlySet<object> = new Set()): unknown {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (seen.has(value)) return '[Circular]';
  const inner = new Set(seen).add(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, inner) ?? null);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), jsonSafe(item, inner)]));
  }
  if (value instanceof Set) return [...value].map((item) => jsonSafe(item, inner) ?? null);
  const toJSON: unknown = Reflect.get(value, 'toJSON');
  if (typeof toJSON === 'function') return jsonSafe(toJSON.call(value), inner);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const safe = jsonSafe(item, inner);
    if (safe !== undefined) copy[key] = safe;
  }
  return copy;
}

/** `value` (already JSON-safe) as pretty-printed JSON, two spaces. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined';
}
