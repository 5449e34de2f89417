import type { CodecValue } from '../codec/codec.js';
import type { GroupContext } from '../context/group-context.js';
import type { JoinEdge, LookupEdge, OutputEdge, PersistEdge, SchemaEdge } from './edge.js';

/** Topic → codec value type of the edges of kind `K` among `E` (a union of edges). */
type TopicMap<E, K extends string> = {
  [X in Extract<E, { readonly kind: K }> as X extends { readonly topic: infer N extends string } ? N : never]: X extends {
    readonly codec: infer C;
  }
    ? CodecValue<C>
    : never;
};

/** The value type of the persist edge `P` (`never` when there is none). */
type TableOf<P> = [P] extends [never] ? never : P extends PersistEdge<infer V> ? V : never;

/**
 * The `ContextTypes` that the schema edges `E` (a tuple of `persist`, `output`, `join` and
 * `lookup` edges) declare: `defineGroup('g', persist(codecs.int64), output('alerts', codecs.string))`
 * has `{ table: number; outputs: { alerts: string }; joins: {}; lookups: {}; loop: never }`. A topic
 * typed `string` rather than a literal makes an index signature (any topic of that value type).
 */
export type ContextTypesOf<E extends readonly SchemaEdge[]> = {
  readonly table: TableOf<Extract<E[number], PersistEdge<unknown>>>;
  readonly outputs: TopicMap<Extract<E[number], OutputEdge<unknown>>, 'output'>;
  readonly joins: TopicMap<Extract<E[number], JoinEdge<unknown>>, 'join'>;
  readonly lookups: TopicMap<Extract<E[number], LookupEdge<unknown>>, 'lookup'>;
  readonly loop: never;
};

/** `C` with the loop message type `L`: a {@link GroupContext} gains `loopback(key, value: L)`; another context type stays. */
export type WithLoop<C, L> =
  C extends GroupContext<infer T>
    ? GroupContext<{ readonly table: T['table']; readonly outputs: T['outputs']; readonly joins: T['joins']; readonly lookups: T['lookups']; readonly loop: L }>
    : C;
