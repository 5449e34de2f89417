import type { Headers } from '../kafka/message.js';

/** Options of the context methods that write records. */
export interface ContextWriteOptions {
  /** Headers of the written record (merged over the processor's default headers for emit/loopback). */
  readonly headers?: Headers;
}

/**
 * What a callback gets for one message (Goka's `Context`). It is only valid while the callback runs
 * (or, for an async callback, until its promise settles); `signal` and the function returned by
 * {@link deferCommit} may be kept longer.
 *
 * @typeParam V the group table's value type (from `persist(codec)`)
 */
export interface ProcessContext<V = unknown> {
  /** The message key (`''` for a record without key; for visits: the table key). */
  readonly key: string;
  /** The input topic (for visits: the visitor name). */
  readonly topic: string;
  readonly partition: number;
  /** The message offset (visits: 0). */
  readonly offset: number;
  /** The record timestamp in milliseconds since the epoch (visits: now). */
  readonly timestamp: number;
  /** The record headers (never undefined; for duplicate names the last wins). */
  readonly headers: Headers;
  /** The processor group. */
  readonly group: string;
  /** Aborted when the partition is revoked or the processor stops; safe to keep for async work. */
  readonly signal: AbortSignal;
  /** The group-table value of {@link key}, read-your-writes; `undefined` if absent. */
  value(): V | undefined;
  /** Sets the group-table value of {@link key} (written to the table topic and the local store). */
  setValue(value: V, options?: ContextWriteOptions): void;
  /** Deletes {@link key} from the group table (a tombstone in the table topic). */
  delete(options?: ContextWriteOptions): void;
  /** Writes a message to a declared output topic; `null` writes a tombstone. */
  emit(topic: string, key: string, value: unknown, options?: ContextWriteOptions): void;
  /** Writes a message to the group's loop topic; it comes back to the loop callback of the key's partition. */
  loopback(key: string, value: unknown, options?: ContextWriteOptions): void;
  /** The value of {@link key} in a joined (copartitioned) table; `undefined` if absent. */
  join<T = unknown>(table: string): T | undefined;
  /** The value of any key in a lookup table (a full view of it). */
  lookup<T = unknown>(table: string, key: string): Promise<T | undefined>;
  /** Fails the message: the processor stops with `error` and this message is not committed. */
  fail(error: unknown): never;
  /**
   * Delays the commit of this message until the returned function is called; call it with an error
   * to fail the processor instead. Every returned function must be called once.
   */
  deferCommit(): (error?: unknown) => void;
}
