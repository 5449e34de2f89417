import type { OutgoingMessage } from './message.js';

/** Kafka error types that reject a partition's batch because of the size of a record in it. */
const TOO_LARGE_TYPES: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
/** Their protocol codes, for errors that carry only the code. */
const TOO_LARGE_CODES: ReadonlySet<number> = new Set([10, 18]);

/** A record's key, value and header bytes (header names counted as UTF-8). */
export function recordSize(record: OutgoingMessage): number {
  let bytes = record.key.length + (record.value?.length ?? 0);
  if (record.headers !== undefined) {
    for (const name in record.headers) bytes += Buffer.byteLength(name) + (record.headers[name]?.length ?? 0);
  }
  return bytes;
}

/** Whether the broker rejected a batch for its size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE). */
export function isTooLarge(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code } = error as { type?: unknown; code?: unknown };
  return (typeof type === 'string' && TOO_LARGE_TYPES.has(type)) || (typeof code === 'number' && TOO_LARGE_CODES.has(code));
}

/** The record that explains a failed partition batch, with its key (UTF-8) and size. */
export interface Culprit {
  readonly record: OutgoingMessage;
  readonly key: string;
  readonly bytes: number;
}

/**
 * The record of a failed partition batch (`indexes` into `records`) to name in the error: for a
 * batch rejected as too large, the largest record (the broker's limit is not known here, and the
 * largest is the one over it when any single record is); otherwise the batch's first record.
 */
export function culpritOf(records: readonly OutgoingMessage[], indexes: readonly number[], error: unknown): Culprit {
  let best = records[indexes[0] as number] as OutgoingMessage;
  let bestBytes = recordSize(best);
  if (isTooLarge(error)) {
    for (let i = 1; i < indexes.length; i++) {
      const record = records[indexes[i] as number] as OutgoingMessage;
      const bytes = recordSize(record);
      if (bytes > bestBytes) {
        best = record;
        bestBytes = bytes;
      }
    }
  }
  return { record: best, key: best.key.toString('utf8'), bytes: bestBytes };
}
