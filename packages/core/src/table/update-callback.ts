import type { Headers } from '../kafka/message.js';
import type { Storage } from '../storage/storage.js';

/** The table record an {@link UpdateCallback} applies (Goka's `UpdateContext`). */
export interface UpdateContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Headers;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/**
 * Applies one table record to the local storage during recovery and catch-up (Goka's
 * `WithUpdateCallback`; not called for a processor's own `setValue`). `value` is `null` for a
 * tombstone; a record without key has the key `''`. May be sync or async; a throw stops the table.
 *
 * The default (no callback given) puts the value, or deletes the key on `null`, in one storage batch
 * per fetched batch. With a callback, records are applied one by one through it and the table offset
 * is stored after each batch.
 */
export type UpdateCallback = (
  context: UpdateContext,
  storage: Storage,
  key: string,
  value: Buffer | null,
) => void | Promise<void>;
