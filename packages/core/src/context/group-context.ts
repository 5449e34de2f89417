import type { ContextWriteOptions, ProcessContext } from './process-context.js';

/**
 * What a strictly typed context knows about its group, each from the codec of an edge: the table
 * value type (`persist(codec)`; `never` without persist), the output topics with their value types
 * (`output(topic, codec)`), the joined and the lookup tables with theirs (`join`, `lookup`), and the
 * loop's message type (`loop(codec, cb)`; `never` without loop). `defineGroup` infers it from the
 * edges; write it by hand only to name a context type: `GroupContext<{ table: number; outputs: {
 * alerts: string }; joins: {}; lookups: {}; loop: never }>` (or take it from a graph: {@link ContextOf}).
 */
export interface ContextTypes {
  readonly table: unknown;
  readonly outputs: object;
  readonly joins: object;
  readonly lookups: object;
  readonly loop: unknown;
}

/** The topics of a `ContextTypes` map (`outputs`, `joins`, `lookups`) as a string union. */
type TopicOf<M> = keyof M & string;

/**
 * The strictly typed {@link ProcessContext} of a group (see `defineGroup`'s strict form): the table value type
 * follows `persist(codec)`, `emit` accepts only the declared output topics with their codec's
 * value type (or `null`, a tombstone), `join` and `lookup` accept only the declared tables and
 * return their codec's type, and `loopback` takes the loop codec's type. The object is the same
 * as a `ProcessContext` at run time; only its type is narrower.
 *
 * @typeParam T the group's types (see {@link ContextTypes}); `defineGroup` infers them.
 */
export interface GroupContext<T extends ContextTypes> extends Omit<ProcessContext<T['table']>, 'emit' | 'loopback' | 'join' | 'lookup'> {
  /** Writes a message to a declared output topic, typed by its codec; `null` writes a tombstone. */
  emit<K extends TopicOf<T['outputs']>>(topic: K, key: string, value: T['outputs'][K] | null, options?: ContextWriteOptions): void;
  /** Writes a message to the group's loop topic, typed by the loop codec. */
  loopback(key: string, value: T['loop'], options?: ContextWriteOptions): void;
  /** The value of the message key in a joined table, typed by the join's codec; `undefined` if absent. */
  join<K extends TopicOf<T['joins']>>(table: K): T['joins'][K] | undefined;
  /** The value of any key in a lookup table, typed by the lookup's codec. */
  lookup<K extends TopicOf<T['lookups']>>(table: K, key: string): Promise<T['lookups'][K] | undefined>;
}

/** The table value type a context type `C` declares: `V` of `ProcessContext<V>` or `GroupContext`; else `unknown`. */
export type TableValueOf<C> = C extends { value(): infer V } ? Exclude<V, undefined> : unknown;
