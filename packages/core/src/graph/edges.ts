import type { Codec } from '../codec/codec.js';
import { checkErrorPolicy } from '../policy/error-policy.js';
import type {
  ConsumeOptions,
  InputEdge,
  InputsEdge,
  JoinEdge,
  LookupEdge,
  LoopEdge,
  OutputEdge,
  PersistEdge,
  VisitorEdge,
} from './edge.js';
import { checkEdgeCodec } from './edge-codec.js';
import { edgeString } from './edge-string.js';
import type { Stream, Table } from './names.js';
import type { ProcessCallback } from './process-callback.js';

/**
 * An input stream edge: `callback` gets every message of `topic`, decoded by `codec`. The topic
 * must be copartitioned with the other inputs, the joins and the group table. A group that never
 * committed starts reading at the newest offset (Goka's default). `options.onError` overrides the
 * processor's error policy for this topic.
 */
export function input<M, C = unknown>(
  topic: Stream,
  codec: Codec<M>,
  callback: ProcessCallback<M, C>,
  options: ConsumeOptions = {},
): InputEdge<M, C> {
  const where = `input("${topic}")`;
  checkEdgeCodec(where, codec);
  return Object.freeze({ kind: 'input', topic, codec, callback, ...consumeOptions(where, options), toString: () => edgeString(topic, codec) });
}

/** The checked `onError` of a consuming edge, as properties to spread into it (none when absent). */
function consumeOptions(where: string, options: ConsumeOptions): ConsumeOptions {
  if (options.onError === undefined) return {};
  checkErrorPolicy(options.onError, where);
  return { onError: options.onError };
}

/**
 * Several input streams sharing codec and callback; `defineGroup` records one input per topic.
 * An empty list contributes nothing.
 */
export function inputs<M, C = unknown>(
  topics: readonly Stream[],
  codec: Codec<M>,
  callback: ProcessCallback<M, C>,
  options: ConsumeOptions = {},
): InputsEdge<M, C> {
  const list = Object.freeze([...topics]);
  const topic = list.join(',');
  const where = `inputs("${topic}")`;
  checkEdgeCodec(where, codec);
  const extra = consumeOptions(where, options);
  return Object.freeze({
    kind: 'inputs',
    topic,
    topics: list,
    codec,
    callback,
    ...extra,
    edges: Object.freeze(list.map((t) => input(t, codec, callback, extra))),
    toString: () => (list.length === 0 ? 'empty input streams' : `input streams: ${edgeString(topic, codec)}`),
  });
}

/**
 * A copartitioned table: for each message, `ctx.join(table)` reads the message key from the local
 * copy of the same partition of `table`. Read from the oldest offset; processing waits until the
 * table partition has caught up. `N` keeps the table name as a literal type (for `ctx.join` in the
 * strict form of `defineGroup`).
 */
export function join<T, const N extends Table = Table>(table: N, codec: Codec<T>): JoinEdge<T, N> {
  checkEdgeCodec(`join("${table}")`, codec);
  return Object.freeze({ kind: 'join', topic: table, codec, toString: () => edgeString(table, codec) });
}

/**
 * A table of any partition count, kept as a full view: `ctx.lookup(table, key)` reads any key.
 * The processor joins the consumer group only after the view is running. `N` keeps the table name
 * as a literal type (for `ctx.lookup` in the strict form of `defineGroup`).
 */
export function lookup<T, const N extends Table = Table>(table: N, codec: Codec<T>): LookupEdge<T, N> {
  checkEdgeCodec(`lookup("${table}")`, codec);
  return Object.freeze({ kind: 'lookup', topic: table, codec, toString: () => edgeString(table, codec) });
}

/** Builds a loop edge on `topic` (`''` while unbound). */
export function loopAt<M, C>(topic: Stream, codec: Codec<M>, callback: ProcessCallback<M, C>, options: ConsumeOptions = {}): LoopEdge<M, C> {
  const where = `loop(${topic === '' ? '' : `"${topic}"`})`;
  checkEdgeCodec(where, codec);
  return Object.freeze({ kind: 'loop', topic, codec, callback, ...consumeOptions(where, options), toString: () => edgeString(topic, codec) });
}

/**
 * The group's loopback stream `<group>-loop`: `ctx.loopback(key, value)` writes to it and
 * `callback` consumes it (as part of the consumer group, so another instance may process it).
 */
export function loop<M, C = unknown>(codec: Codec<M>, callback: ProcessCallback<M, C>, options: ConsumeOptions = {}): LoopEdge<M, C> {
  return loopAt('', codec, callback, options);
}

/**
 * A topic that `ctx.emit(topic, key, value)` may write to. It need not be copartitioned. `N` keeps
 * the topic as a literal type (for `ctx.emit` in the strict form of `defineGroup`).
 */
export function output<T, const N extends Stream = Stream>(topic: N, codec: Codec<T>): OutputEdge<T, N> {
  checkEdgeCodec(`output("${topic}")`, codec);
  return Object.freeze({ kind: 'output', topic, codec, toString: () => edgeString(topic, codec) });
}

/** Builds a persist edge on `topic` (`''` while unbound). */
export function persistAt<T>(topic: Table, codec: Codec<T>): PersistEdge<T> {
  checkEdgeCodec(`persist(${topic === '' ? '' : `"${topic}"`})`, codec);
  return Object.freeze({ kind: 'persist', topic, codec, toString: () => edgeString(topic, codec) });
}

/**
 * The group table `<group>-table` (compacted, copartitioned), holding one value per key encoded by
 * `codec`. Enables `ctx.value()`, `ctx.setValue()`, `ctx.delete()`, `processor.get()` and visitors.
 */
export function persist<T>(codec: Codec<T>): PersistEdge<T> {
  return persistAt('', codec);
}

/**
 * A named callback that `processor.visitAll(name, meta)` runs for every key of the group table,
 * with `meta` as the message. Needs `persist`. Experimental in Goka: a long visit can delay
 * rebalances and shutdown.
 */
export function visitor<M = unknown, C = unknown>(name: string, callback: ProcessCallback<M, C>): VisitorEdge<M, C> {
  return Object.freeze({
    kind: 'visitor',
    topic: name,
    name,
    codec: undefined,
    callback,
    toString: () => `visitor ${name}`,
  });
}
