import type { Codec } from '../codec/codec.js';
import type { TableValueOf } from '../context/group-context.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { Stream, Table } from './names.js';
import type { ProcessCallback } from './process-callback.js';

/** The kinds of edge; `inputs` exists only until `defineGroup` flattens it into `input` edges. */
export type EdgeKind = 'input' | 'inputs' | 'join' | 'lookup' | 'loop' | 'output' | 'persist' | 'visitor';

/** What every edge has (Goka's `Edge`: `Topic()`, `Codec()`, `String()`). */
interface EdgeBase<K extends EdgeKind> {
  readonly kind: K;
  /** The Kafka topic of the edge (for a visitor: its name). */
  readonly topic: string;
  /** `"<topic>/<codec name>"`, e.g. `clicks/string`. */
  toString(): string;
}

/** Options of a consuming edge (`input`, `inputs`, `loop`). */
export interface ConsumeOptions {
  /** What happens when the callback fails or a value does not decode; overrides the processor's `onError`. */
  readonly onError?: ErrorPolicy;
}

/** An input stream consumed through the consumer group; must be copartitioned with the group table. */
export interface InputEdge<M = unknown, C = unknown> extends EdgeBase<'input'> {
  readonly topic: Stream;
  readonly codec: Codec<M>;
  readonly callback: ProcessCallback<M, C>;
  /** This edge's error policy (the processor's `onError` when absent). */
  readonly onError?: ErrorPolicy;
}

/**
 * Several input streams sharing codec and callback; `defineGroup` records its `edges` as single
 * inputs. `topic` is the comma-joined list, `toString()` is `input streams: a,b/string`.
 */
export interface InputsEdge<M = unknown, C = unknown> extends EdgeBase<'inputs'> {
  readonly topics: readonly Stream[];
  readonly codec: Codec<M>;
  readonly callback: ProcessCallback<M, C>;
  readonly onError?: ErrorPolicy;
  /** One {@link InputEdge} per topic, in order. */
  readonly edges: readonly InputEdge<M, C>[];
}

/** A copartitioned table read with `ctx.join(table)` for the message key; `N` is the table's name as a literal type. */
export interface JoinEdge<T = unknown, N extends Table = Table> extends EdgeBase<'join'> {
  readonly topic: N;
  readonly codec: Codec<T>;
}

/** A table of any partition count, read with `ctx.lookup(table, key)` through a full view; `N` is its name. */
export interface LookupEdge<T = unknown, N extends Table = Table> extends EdgeBase<'lookup'> {
  readonly topic: N;
  readonly codec: Codec<T>;
}

/**
 * The group's loopback stream, written with `ctx.loopback(key, value)`. Its topic is `''` until
 * `defineGroup` binds it to the group's loop topic (`<group>-loop`).
 */
export interface LoopEdge<M = unknown, C = unknown> extends EdgeBase<'loop'> {
  readonly topic: Stream;
  readonly codec: Codec<M>;
  readonly callback: ProcessCallback<M, C>;
  readonly onError?: ErrorPolicy;
}

/** A topic `ctx.emit` may write to; need not be copartitioned. `N` is the topic as a literal type. */
export interface OutputEdge<T = unknown, N extends Stream = Stream> extends EdgeBase<'output'> {
  readonly topic: N;
  readonly codec: Codec<T>;
}

/**
 * The group table (`ctx.value()`, `ctx.setValue()`, `processor.get()`). Its topic is `''` until
 * `defineGroup` binds it to the group's table topic (`<group>-table`).
 */
export interface PersistEdge<T = unknown> extends EdgeBase<'persist'> {
  readonly topic: Table;
  readonly codec: Codec<T>;
}

/**
 * A named callback run for every key of the group table by `processor.visitAll(name, meta)`;
 * `M` is the type of `meta`. `topic` is the name; there is no codec.
 */
export interface VisitorEdge<M = unknown, C = unknown> extends EdgeBase<'visitor'> {
  readonly name: string;
  readonly codec: undefined;
  readonly callback: ProcessCallback<M, C>;
}

/**
 * Any edge `defineGroup` accepts, with callbacks taking a context of type `C`. The group table's
 * codec must fit the table value type of `C` (`persist(codecs.int64)` with callbacks taking a
 * `ProcessContext<string>` does not compile); a `C` without `value()` accepts any table.
 */
export type Edge<C = unknown> =
  | InputEdge<unknown, C>
  | InputsEdge<unknown, C>
  | JoinEdge
  | LookupEdge
  | LoopEdge<unknown, C>
  | OutputEdge
  | PersistEdge<TableValueOf<C>>
  | VisitorEdge<unknown, C>;

/** The edges without callbacks (table, outputs, joins, lookups): what `defineGroup`'s strict form infers its context from. */
export type SchemaEdge = PersistEdge | OutputEdge | JoinEdge | LookupEdge;

/** An edge as a {@link GroupGraph} holds it: `inputs` flattened, loop and persist bound to the group. */
export type GraphEdge<C = unknown> =
  | InputEdge<unknown, C>
  | JoinEdge
  | LookupEdge
  | LoopEdge<unknown, C>
  | OutputEdge
  | PersistEdge
  | VisitorEdge<unknown, C>;

/** Edges that name a topic of their own and so may collide with the group's table or loop topic. */
export type TopicEdge = InputEdge | JoinEdge | LookupEdge | OutputEdge;
