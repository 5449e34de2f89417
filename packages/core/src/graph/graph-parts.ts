import type { Codec } from '../codec/codec.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { graphDuplicateInput, graphEmptyInputTopic, graphInvalidEdge } from './graph.messages.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type {
  Edge,
  EdgeKind,
  InputEdge,
  JoinEdge,
  LookupEdge,
  LoopEdge,
  OutputEdge,
  PersistEdge,
  VisitorEdge,
} from './edge.js';
import { loopAt, persistAt } from './edges.js';
import { loopName, tableName } from './names.js';
import type { ResolvedGroupDefinition } from './names.js';
import type { ProcessCallback } from './process-callback.js';

/** The recorded content of a group graph: edges by kind plus Goka's lookup maps. */
export interface GraphParts<C> {
  readonly definition: ResolvedGroupDefinition;
  readonly tableTopic: string;
  readonly loopTopic: string;
  readonly inputs: readonly InputEdge<unknown, C>[];
  readonly joins: readonly JoinEdge[];
  readonly lookups: readonly LookupEdge[];
  readonly outputs: readonly OutputEdge[];
  readonly loops: readonly LoopEdge<unknown, C>[];
  readonly tables: readonly PersistEdge[];
  readonly visitors: readonly VisitorEdge<unknown, C>[];
  /** Topic → codec of inputs, loop, outputs, joins, lookups and table; a later edge wins (Goka). */
  readonly codecs: ReadonlyMap<string, Codec<unknown>>;
  /** Topic → callback of inputs and loop. */
  readonly callbacks: ReadonlyMap<string, ProcessCallback<unknown, C>>;
  /** Topic → error policy of the inputs and the loop that declare one. */
  readonly errorPolicies: ReadonlyMap<string, ErrorPolicy>;
  /** Visitor name → callback; a later visitor of the same name wins. */
  readonly visitorCallbacks: ReadonlyMap<string, ProcessCallback<unknown, C>>;
  readonly outputTopics: ReadonlySet<string>;
  readonly joinTopics: ReadonlySet<string>;
  readonly lookupTopics: ReadonlySet<string>;
}

const EDGE_KINDS: ReadonlySet<string> = new Set<EdgeKind>([
  'input', 'inputs', 'join', 'lookup', 'loop', 'output', 'persist', 'visitor',
]);

function isEdge(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const kind: unknown = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && EDGE_KINDS.has(kind);
}

/**
 * Records `edges` like Goka's `DefineGroup`: flattens `inputs`, binds loop and persist edges to
 * the group's topic names, and builds the codec/callback maps. Throws a `GraphValidationError` for
 * a non-edge, an input with an empty topic, or a second input for the same topic.
 */
export function collectGraphParts<C>(definition: ResolvedGroupDefinition, edges: readonly Edge<C>[]): GraphParts<C> {
  const { group } = definition;
  const tableTopic = tableName(group, definition.tableSuffix);
  const loopTopic = loopName(group, definition.loopSuffix);
  const inputList: InputEdge<unknown, C>[] = [];
  const joins: JoinEdge[] = [];
  const lookups: LookupEdge[] = [];
  const outputs: OutputEdge[] = [];
  const loops: LoopEdge<unknown, C>[] = [];
  const tables: PersistEdge[] = [];
  const visitors: VisitorEdge<unknown, C>[] = [];
  const codecs = new Map<string, Codec<unknown>>();
  const callbacks = new Map<string, ProcessCallback<unknown, C>>();
  const errorPolicies = new Map<string, ErrorPolicy>();
  const visitorCallbacks = new Map<string, ProcessCallback<unknown, C>>();
  const inputTopics = new Set<string>();

  const addInput = (edge: InputEdge<unknown, C>): void => {
    if (edge.topic === '') {
      throw new GraphValidationError(graphEmptyInputTopic(group), { group, rule: 'empty-input-topic', edge: String(edge) });
    }
    if (inputTopics.has(edge.topic)) {
      throw new GraphValidationError(graphDuplicateInput(group, edge.topic), {
        group,
        rule: 'duplicate-input',
        topic: edge.topic,
        edge: String(edge),
      });
    }
    inputTopics.add(edge.topic);
    codecs.set(edge.topic, edge.codec);
    callbacks.set(edge.topic, edge.callback);
    if (edge.onError !== undefined) errorPolicies.set(edge.topic, edge.onError);
    inputList.push(edge);
  };

  edges.forEach((edge, index) => {
    if (!isEdge(edge)) {
      throw new GraphValidationError(graphInvalidEdge(group, index, edge), { group, rule: 'invalid-edge' });
    }
    switch (edge.kind) {
      case 'input':
        addInput(edge);
        break;
      case 'inputs':
        edge.edges.forEach(addInput);
        break;
      case 'loop': {
        const bound = edge.topic === loopTopic ? edge : loopAt(loopTopic, edge.codec, edge.callback, edge);
        codecs.set(loopTopic, bound.codec);
        callbacks.set(loopTopic, bound.callback);
        if (bound.onError !== undefined) errorPolicies.set(loopTopic, bound.onError);
        loops.push(bound);
        break;
      }
      case 'output':
        codecs.set(edge.topic, edge.codec);
        outputs.push(edge);
        break;
      case 'join':
        codecs.set(edge.topic, edge.codec);
        joins.push(edge);
        break;
      case 'lookup':
        codecs.set(edge.topic, edge.codec);
        lookups.push(edge);
        break;
      case 'persist': {
        const bound = edge.topic === tableTopic ? edge : persistAt(tableTopic, edge.codec);
        codecs.set(tableTopic, bound.codec);
        tables.push(bound);
        break;
      }
      case 'visitor':
        visitorCallbacks.set(edge.name, edge.callback);
        visitors.push(edge);
        break;
    }
  });

  return {
    definition,
    tableTopic,
    loopTopic,
    inputs: Object.freeze(inputList),
    joins: Object.freeze(joins),
    lookups: Object.freeze(lookups),
    outputs: Object.freeze(outputs),
    loops: Object.freeze(loops),
    tables: Object.freeze(tables),
    visitors: Object.freeze(visitors),
    errorPolicies,
    codecs,
    callbacks,
    visitorCallbacks,
    outputTopics: new Set(outputs.map((e) => e.topic)),
    joinTopics: new Set(joins.map((e) => e.topic)),
    lookupTopics: new Set(lookups.map((e) => e.topic)),
  };
}
