import type { GroupContext } from '../context/group-context.js';
import type { Edge, SchemaEdge } from './edge.js';
import type { ContextTypesOf } from './graph-context.js';
import { GroupBuilder } from './group-graph.js';
import type { GroupGraph } from './group-graph.js';
import type { Group, GroupDefinition } from './names.js';

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
 * **Strict form.** Given only edges without callbacks (`persist`, `output`, `join`, `lookup`), the
 * graph's context type is a {@link GroupContext} inferred from their codecs and topics; add the
 * callbacks with the builder methods of the returned {@link GroupBuilder} (`.loop()` first when callbacks loop back), which
 * hand them that context:
 *
 * ```ts
 * defineGroup('clicks', persist(codecs.int64), output('alerts', codecs.string))
 *   .input('clicks', codecs.string, (ctx, click) => {
 *     ctx.setValue((ctx.value() ?? 0) + 1); // number
 *     ctx.emit('alerts', ctx.key, click);   // only 'alerts', only strings
 *   });
 * ```
 */
export function defineGroup<const E extends readonly SchemaEdge[]>(
  definition: Group | GroupDefinition,
  ...edges: E
): GroupBuilder<GroupContext<ContextTypesOf<E>>>;
/**
 * Defines a processor group with its callbacks among the edges. `C` is the context type of the
 * callbacks: inferred when they agree (callbacks that do not annotate `ctx` fit any), `unknown`
 * when some annotate it and some do not, or given explicitly: `defineGroup<ProcessContext<number>>(...)`.
 * The persist codec must fit the table value type of `C`.
 */
export function defineGroup<C = unknown>(definition: Group | GroupDefinition, ...edges: readonly Edge<C>[]): GroupGraph<C>;
export function defineGroup(definition: Group | GroupDefinition, ...edges: readonly Edge[]): GroupBuilder<unknown> {
  return new GroupBuilder(definition, edges);
}
