import type { Codec, GroupGraph } from '@goka/core';
import type { MonitorEdge } from '../interfaces/monitor-api.interface.js';

/** A codec's readable name: its `name`, else its class name, else `custom`. */
export function codecName(codec: Codec<unknown> | undefined): string {
  if (codec === undefined) return 'none';
  if (typeof codec.name === 'string' && codec.name !== '') return codec.name;
  const className: unknown = Object.getPrototypeOf(codec)?.constructor?.name;
  return typeof className === 'string' && className !== '' && className !== 'Object' ? className : 'custom';
}

/** A group graph's edges as the monitor lists them: inputs, joins, lookups, loop, table, outputs. */
export function graphEdges<C>(graph: GroupGraph<C>): MonitorEdge[] {
  const edges: MonitorEdge[] = [];
  for (const edge of graph.inputStreams()) edges.push({ kind: 'input', topic: edge.topic, codec: codecName(edge.codec) });
  for (const edge of graph.jointTables()) edges.push({ kind: 'join', topic: edge.topic, codec: codecName(edge.codec) });
  for (const edge of graph.lookupTables()) edges.push({ kind: 'lookup', topic: edge.topic, codec: codecName(edge.codec) });
  const loop = graph.loopStream();
  if (loop !== undefined) edges.push({ kind: 'loop', topic: loop.topic, codec: codecName(loop.codec) });
  const table = graph.groupTable();
  if (table !== undefined) edges.push({ kind: 'table', topic: table.topic, codec: codecName(table.codec) });
  for (const edge of graph.outputStreams()) edges.push({ kind: 'output', topic: edge.topic, codec: codecName(edge.codec) });
  return edges;
}

/** The visitor names of a group graph. */
export function visitorNames<C>(graph: GroupGraph<C>): string[] {
  return graph.visitors().map((edge) => edge.name);
}
