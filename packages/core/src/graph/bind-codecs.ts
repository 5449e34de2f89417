import type { Codec } from '../codec/codec.js';
import type { CodecBindContext, CodecServices } from '../codec/codec-bind-context.js';
import { CodecBindError } from '../errors/codec-bind-error.js';
import type { Edge, GraphEdge } from './edge.js';
import { edgeString, codecName } from './edge-string.js';
import { GroupGraph } from './group-graph.js';

const NO_SERVICES: CodecServices = Object.freeze({});

/**
 * The bindings already made, per services record and codec, keyed by `<key|value>:<topic>`: the
 * components of one module (one services record) bind a codec used on one topic once. Failures are
 * not kept, so a restart binds again.
 */
const bindings = new WeakMap<CodecServices, WeakMap<Codec<unknown>, Map<string, Promise<Codec<unknown>>>>>();

/**
 * The codec to use where `codec` is used (`context`): `codec` itself when it has no `bind`, else
 * what its `bind` resolves to (made once per services record, codec, topic and key/value).
 * @throws CodecBindError (rejects) naming codec, topic and group when `bind` rejects or returns no codec
 */
export function bindCodec<T>(codec: Codec<T>, context: Partial<CodecBindContext> & { readonly topic: string }): Promise<Codec<T>> {
  if (typeof codec.bind !== 'function') return Promise.resolve(codec);
  const full: CodecBindContext = {
    topic: context.topic,
    isKey: context.isKey ?? false,
    group: context.group,
    codecServices: context.codecServices ?? NO_SERVICES,
  };
  let perCodec = bindings.get(full.codecServices);
  if (perCodec === undefined) {
    perCodec = new WeakMap();
    bindings.set(full.codecServices, perCodec);
  }
  let perEdge = perCodec.get(codec as Codec<unknown>);
  if (perEdge === undefined) {
    perEdge = new Map();
    perCodec.set(codec as Codec<unknown>, perEdge);
  }
  const slot = `${full.isKey ? 'key' : 'value'}:${full.topic}`;
  const known = perEdge.get(slot);
  if (known !== undefined) return known as Promise<Codec<T>>;
  const edges = perEdge;
  const binding = callBind(codec, full).catch((error: unknown) => {
    edges.delete(slot);
    throw error;
  });
  edges.set(slot, binding as Promise<Codec<unknown>>);
  return binding;
}

async function callBind<T>(codec: Codec<T>, context: CodecBindContext): Promise<Codec<T>> {
  const fail = (cause: unknown): CodecBindError =>
    new CodecBindError({ codec: codecName(codec as Codec<unknown>), topic: context.topic, isKey: context.isKey, group: context.group, cause });
  let bound: unknown;
  try {
    bound = await (codec.bind as NonNullable<Codec<T>['bind']>).call(codec, context);
  } catch (error) {
    throw fail(error);
  }
  const methods = bound as { encode?: unknown; decode?: unknown } | null | undefined;
  if (typeof methods?.encode !== 'function' || typeof methods.decode !== 'function') {
    throw fail(new TypeError('bind() did not resolve to a codec (an object with encode and decode functions)'));
  }
  return bound as Codec<T>;
}

/**
 * The graph with every edge's codec bound to the edge (see {@link bindCodec}; the edges' topics,
 * the group's table and loop topics included). Returns `graph` itself when no codec has `bind`, so
 * components without such codecs are unchanged. Processors call it before they start.
 * @throws CodecBindError (rejects) for the first edge whose codec fails to bind
 */
export async function bindCodecs<C>(graph: GroupGraph<C>, codecServices?: CodecServices): Promise<GroupGraph<C>> {
  const edges = graph.allEdges();
  if (!edges.some((edge) => typeof edge.codec?.bind === 'function')) return graph;
  const bound = await Promise.all(edges.map((edge) => bindEdge(edge, graph.group, codecServices)));
  // The same edges with codecs of the same value types: the graph's persist edge already fit `C`.
  return new GroupGraph<C>(graph.definition, bound as readonly GraphEdge<C>[] as readonly Edge<C>[]);
}

async function bindEdge<C>(edge: GraphEdge<C>, group: string, codecServices: CodecServices | undefined): Promise<GraphEdge<C>> {
  if (edge.kind === 'visitor' || typeof edge.codec.bind !== 'function') return edge;
  const codec = await bindCodec(edge.codec as Codec<unknown>, { topic: edge.topic, isKey: false, group, ...(codecServices === undefined ? {} : { codecServices }) });
  return Object.freeze({ ...edge, codec, toString: () => edgeString(edge.topic, codec) }) as GraphEdge<C>;
}
