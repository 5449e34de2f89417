import type { Codec } from '../codec/codec.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { GraphValidationError } from '../errors/graph-validation-error.js';
import type {
  ConsumeOptions,
  Edge,
  GraphEdge,
  InputEdge,
  JoinEdge,
  LookupEdge,
  LoopEdge,
  OutputEdge,
  PersistEdge,
  VisitorEdge,
} from './edge.js';
import { input, inputs, loop, visitor } from './edges.js';
import type { WithLoop } from './graph-context.js';
import { collectGraphParts } from './graph-parts.js';
import type { GraphParts } from './graph-parts.js';
import { findGraphViolation } from './graph-rules.js';
import { resolveGroupDefinition } from './names.js';
import type { Group, GroupDefinition, ResolvedGroupDefinition, Stream, Table } from './names.js';
import type { ProcessCallback } from './process-callback.js';

/**
 * The specification of a processor group (Goka's `GroupGraph`): its name and every edge to Kafka.
 * Immutable. Build it with {@link defineGroup}; `validate()` checks Goka's rules (the processor
 * calls it before starting). `C` is the context type the callbacks take.
 */
export class GroupGraph<C = unknown> {
  /** The group name (consumer group id, prefix of the table and loop topics). */
  readonly group: Group;
  /** Group name and the suffixes this graph was defined with; `defineGroup(g.definition, ...g.allEdges())` rebuilds it. */
  readonly definition: ResolvedGroupDefinition;
  /** The group table topic, `<group><tableSuffix>`, whether or not the graph persists. */
  readonly tableTopic: Table;
  /** The loop topic, `<group><loopSuffix>`, whether or not the graph has a loop. */
  readonly loopTopic: Stream;
  readonly #parts: GraphParts<C>;

  /** Prefer {@link defineGroup}; this constructor does the same with the edges as an array. */
  constructor(definition: Group | GroupDefinition, edges: readonly Edge<C>[]) {
    const parts = collectGraphParts(resolveGroupDefinition(definition), edges);
    this.#parts = parts;
    this.group = parts.definition.group;
    this.definition = parts.definition;
    this.tableTopic = parts.tableTopic;
    this.loopTopic = parts.loopTopic;
    // A subclass freezes itself once its own fields are set.
    if (new.target === GroupGraph) Object.freeze(this);
  }

  /** Input stream edges, `inputs(...)` flattened, in definition order. */
  inputStreams(): readonly InputEdge<unknown, C>[] {
    return this.#parts.inputs;
  }

  /** Join (copartitioned table) edges. */
  jointTables(): readonly JoinEdge[] {
    return this.#parts.joins;
  }

  /** Lookup table edges. */
  lookupTables(): readonly LookupEdge[] {
    return this.#parts.lookups;
  }

  /** The (first) loop edge, bound to {@link loopTopic}, or `undefined`. */
  loopStream(): LoopEdge<unknown, C> | undefined {
    return this.#parts.loops[0];
  }

  /** The (first) persist edge, bound to {@link tableTopic}, or `undefined`. */
  groupTable(): PersistEdge | undefined {
    return this.#parts.tables[0];
  }

  /** Output stream edges. */
  outputStreams(): readonly OutputEdge[] {
    return this.#parts.outputs;
  }

  /** Visitor edges. */
  visitors(): readonly VisitorEdge<unknown, C>[] {
    return this.#parts.visitors;
  }

  /**
   * Every edge in Goka's order: joins, lookups, inputs, outputs, loops, tables, visitors. Passing
   * them to `defineGroup` again rebuilds the graph (loop and persist are re-bound to the new group).
   */
  allEdges(): readonly GraphEdge<C>[] {
    const p = this.#parts;
    return Object.freeze([
      ...p.joins, ...p.lookups, ...p.inputs, ...p.outputs, ...p.loops, ...p.tables, ...p.visitors,
    ]);
  }

  /**
   * The edges whose topics must share one partition count: inputs, joins, then the loop and the
   * group table when declared (Goka checks inputs and joins, and creates loop and table with their
   * count). Lookups and outputs are not copartitioned.
   */
  copartitioned(): readonly (InputEdge<unknown, C> | JoinEdge | LoopEdge<unknown, C> | PersistEdge)[] {
    const loopEdge = this.loopStream();
    const tableEdge = this.groupTable();
    return Object.freeze([
      ...this.#parts.inputs,
      ...this.#parts.joins,
      ...(loopEdge !== undefined ? [loopEdge] : []),
      ...(tableEdge !== undefined ? [tableEdge] : []),
    ]);
  }

  /** The distinct topics of {@link copartitioned}, in first-seen order. */
  copartitionedTopics(): readonly string[] {
    return Object.freeze([...new Set(this.copartitioned().map((edge) => edge.topic))]);
  }

  /** The codec of a topic of an input, loop, output, join, lookup or the table; a later edge wins. */
  codec(topic: string): Codec<unknown> | undefined {
    return this.#parts.codecs.get(topic);
  }

  /** The callback of an input or loop topic. */
  callback(topic: string): ProcessCallback<unknown, C> | undefined {
    return this.#parts.callbacks.get(topic);
  }

  /** The error policy the input or loop edge of `topic` declares (`undefined`: the processor's applies). */
  errorPolicy(topic: string): ErrorPolicy | undefined {
    return this.#parts.errorPolicies.get(topic);
  }

  /** The callback of the visitor `name` (the last one, if declared twice). */
  visitorCallback(name: string): ProcessCallback<unknown, C> | undefined {
    return this.#parts.visitorCallbacks.get(name);
  }

  /** Whether `ctx.emit` may write to `topic` (it is declared by an output edge). */
  isOutput(topic: string): boolean {
    return this.#parts.outputTopics.has(topic);
  }

  /** Whether `topic` is a joined table (`ctx.join(topic)` may read it). */
  isJoined(topic: string): boolean {
    return this.#parts.joinTopics.has(topic);
  }

  /** Whether `topic` is a lookup table (`ctx.lookup(topic, key)` may read it). */
  isLookup(topic: string): boolean {
    return this.#parts.lookupTopics.has(topic);
  }

  /**
   * Checks Goka's rules (see {@link validationError}) and throws the first violation as a
   * `GraphValidationError` (with `rule`, `group`, and `topic`/`edge` where relevant).
   */
  validate(): void {
    const error = findGraphViolation(this.#parts);
    if (error !== undefined) throw error;
  }

  /**
   * The first rule the graph breaks, or `undefined` when it is valid. Rules in order: non-empty
   * group name; at most one loop; at most one persist; at least one input (a loop alone does not
   * count); no output/input/join/lookup on the loop topic, nor on the table topic; visitors need
   * persist; no empty output/join/lookup topic or visitor name; table and loop topics differ.
   */
  validationError(): GraphValidationError | undefined {
    return findGraphViolation(this.#parts);
  }
}

/**
 * The graph that `defineGroup`'s strict form returns: a {@link GroupGraph} with builder methods
 * that add the callback edges and hand them the graph's context type `C` (a `GroupContext` whose
 * types come from the edges' codecs). Every method returns a new graph; the graph itself stays
 * immutable. (The methods live on this subclass so that `GroupGraph<C>` keeps its assignability
 * between context types.)
 */
export class GroupBuilder<C = unknown> extends GroupGraph<C> {
  /** The edges as given (before flattening and binding). */
  readonly #edges: readonly Edge<C>[];

  constructor(definition: Group | GroupDefinition, edges: readonly Edge<C>[]) {
    super(definition, edges);
    this.#edges = Object.freeze([...edges]);
    Object.freeze(this);
  }

  /**
   * A new graph with an `input(topic, codec, callback, options)` edge added; the callback gets the
   * context type `C`. Throws like `defineGroup` for an empty or already consumed topic.
   */
  input<M>(topic: Stream, codec: Codec<M>, callback: ProcessCallback<M, C>, options?: ConsumeOptions): GroupBuilder<C> {
    return new GroupBuilder<C>(this.definition, [...this.#edges, input(topic, codec, callback, options)]);
  }

  /** A new graph with an `inputs(topics, codec, callback, options)` edge added (see {@link input}). */
  inputs<M>(topics: readonly Stream[], codec: Codec<M>, callback: ProcessCallback<M, C>, options?: ConsumeOptions): GroupBuilder<C> {
    return new GroupBuilder<C>(this.definition, [...this.#edges, inputs(topics, codec, callback, options)]);
  }

  /**
   * A new graph with a `loop(codec, callback, options)` edge added. Its context type, which the
   * callback gets, takes `loopback(key, value)` of the codec's type: add the loop before the inputs
   * that loop back (their context has no loop type otherwise).
   */
  loop<L>(codec: Codec<L>, callback: ProcessCallback<L, WithLoop<C, L>>, options?: ConsumeOptions): GroupBuilder<WithLoop<C, L>> {
    // The earlier callbacks take `C`, which is `WithLoop<C, L>` without the loop's type.
    const edges = this.#edges as readonly Edge<unknown>[] as readonly Edge<WithLoop<C, L>>[];
    return new GroupBuilder<WithLoop<C, L>>(this.definition, [...edges, loop(codec, callback, options)]);
  }

  /** A new graph with a `visitor(name, callback)` edge added (`meta` typed by the callback). */
  visitor<M = unknown>(name: string, callback: ProcessCallback<M, C>): GroupBuilder<C> {
    return new GroupBuilder<C>(this.definition, [...this.#edges, visitor(name, callback)]);
  }
}

/**
 * The context type the callbacks of a graph take: `ContextOf<typeof graph>`, e.g. to type a helper
 * function that a callback passes its `ctx` to.
 */
export type ContextOf<G> = G extends GroupGraph<infer C> ? C : never;
