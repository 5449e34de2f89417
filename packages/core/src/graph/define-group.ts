import type { GroupContext } from '../context/group-context.js';
import type { Edge, SchemaEdge } from './edge.js';
import type { ContextTypesOf } from './graph-context.js';
import { GroupBuilder } from './group-graph.js';
import type { GroupGraph } from './group-graph.js';
import type { Group, GroupDefinition } from './names.js';

declare const noCallbacks: unique symbol;

/**
 * What `defineGroup` infers for `C` when no edge has a callback (no inference source): then its
 * first signature does not apply and the strict form (the second) infers the context from the edges.
 */
export interface NoCallbacks {
  readonly [noCallbacks]: true;
}

/** The edges of `defineGroup`'s first signature: any edge, unless `C` is {@link NoCallbacks}. */
export type LooseEdge<C> = [C] extends [NoCallbacks] ? never : Edge<C>;

/**
 * Defines a processor group (Goka's `DefineGroup`). The first argument is the group name, or a
 * {@link GroupDefinition} to choose the table/loop suffixes of this graph only:
 *
 * ```ts
 * defineGroup('clicks', input('clicks', codecs.string, count), persist(codecs.int64));
 * defineGroup({ group: 'clicks', tableSuffix: '-state' }, input('clicks', codecs.string, count), persist(codecs.int64));
 * ```
 *
 * `inputs(...)` is flattened into single inputs and loop/persist are bound to the group's topics.
 * Throws a `GraphValidationError` only for edges it cannot record (where Goka panics): a non-edge,
 * an input with an empty topic, or a second input for one topic ("It is illegal to consume a topic
 * twice"). Everything else is checked by {@link GroupGraph.validate}.
 *
 * **Callbacks among the edges.** `C` is the context type of the callbacks: inferred when they agree
 * (an unannotated `ctx` takes it from an annotated sibling or from the call's context; callbacks
 * that do not annotate `ctx` fit any), `unknown` when nothing says it, or given explicitly:
 * `defineGroup<ProcessContext<number>>(...)`. The persist codec must fit the table value type of
 * `C`; `emit`, `join<T>`, `lookup<T>` and `loopback` of a `ProcessContext` stay unchecked.
 *
 * **Strict form.** Given only edges without callbacks (`persist`, `output`, `join`, `lookup`), the
 * graph's context type is a {@link GroupContext} inferred from their codecs and topics; add the
 * callbacks with the builder methods of the returned {@link GroupBuilder} (`.loop()` first when
 * callbacks loop back), which hand them that context:
 *
 * ```ts
 * defineGroup('clicks', persist(codecs.int64), output('alerts', codecs.string))
 *   .input('clicks', codecs.string, (ctx, click) => {
 *     ctx.setValue((ctx.value() ?? 0) + 1); // number
 *     ctx.emit('alerts', ctx.key, click);   // only 'alerts', only strings
 *   });
 * ```
 */
export function defineGroup<C = NoCallbacks>(
  definition: Group | GroupDefinition,
  ...edges: readonly LooseEdge<C>[]
): [C] extends [NoCallbacks] ? GroupBuilder<GroupContext<ContextTypesOf<[]>>> : GroupGraph<C>;
/**
 * The strict form: only edges without callbacks, whose codecs and topics make the context type
 * (a {@link GroupContext}) of the callbacks added with the returned {@link GroupBuilder}.
 */
export function defineGroup<const E extends readonly SchemaEdge[]>(
  definition: Group | GroupDefinition,
  ...edges: E
): GroupBuilder<GroupContext<ContextTypesOf<E>>>;
/**
 * The first signature again, last so that `ReturnType<typeof defineGroup>` stays `GroupGraph<unknown>`
 * (an overloaded function's `ReturnType` is its last signature's).
 */
export function defineGroup<C = NoCallbacks>(
  definition: Group | GroupDefinition,
  ...edges: readonly LooseEdge<C>[]
): [C] extends [NoCallbacks] ? GroupBuilder<GroupContext<ContextTypesOf<[]>>> : GroupGraph<C>;
export function defineGroup(definition: Group | GroupDefinition, ...edges: readonly Edge[]): GroupBuilder<unknown> {
  return new GroupBuilder(definition, edges);
}
