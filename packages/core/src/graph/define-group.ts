import type { Edge } from './edge.js';
import { GroupGraph } from './group-graph.js';
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
 * `C` is the context type of the callbacks: inferred when they agree (callbacks that do not
 * annotate `ctx` fit any), `unknown` when some annotate it and some do not, or given explicitly:
 * `defineGroup<Context>(...)`.
 */
export function defineGroup<C = unknown>(definition: Group | GroupDefinition, ...edges: readonly Edge<C>[]): GroupGraph<C> {
  return new GroupGraph(definition, edges);
}
