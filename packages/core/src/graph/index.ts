export { defineGroup } from './define-group.js';
export type { LooseEdge, NoCallbacks } from './define-group.js';
export type {
  ConsumeOptions,
  Edge,
  EdgeKind,
  GraphEdge,
  InputEdge,
  InputsEdge,
  JoinEdge,
  LookupEdge,
  LoopEdge,
  OutputEdge,
  PersistEdge,
  SchemaEdge,
  VisitorEdge,
} from './edge.js';
export type { ContextTypesOf, WithLoop } from './graph-context.js';
export type { ContextOf } from './group-graph.js';
export { codecName } from './edge-string.js';
export { input, inputs, join, lookup, loop, output, persist, visitor } from './edges.js';
export { GroupBuilder, GroupGraph } from './group-graph.js';
export { DEFAULT_LOOP_SUFFIX, DEFAULT_TABLE_SUFFIX, loopName, tableName } from './names.js';
export type { Group, GroupDefinition, ResolvedGroupDefinition, Stream, Table } from './names.js';
export type { ProcessCallback } from './process-callback.js';
