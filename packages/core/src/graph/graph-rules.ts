import { GraphValidationError } from '../errors/graph-validation-error.js';
import {
  graphEmptyGroup,
  graphEmptyTopic,
  graphMultipleLoops,
  graphMultipleTables,
  graphNoInput,
  graphStatelessVisitors,
  graphTableLoopConflict,
  graphUsesGroupTable,
  graphUsesLoopStream,
} from './graph.messages.js';
import type { TopicEdge } from './edge.js';
import type { GraphParts } from './graph-parts.js';

/**
 * The first rule `parts` breaks, as an error, or `undefined`. Order: empty group name (ours), then
 * Goka's `Validate` order — more than one loop, more than one table, no input, an output/input/
 * join/lookup edge on the loop or table topic (per edge in the order outputs, inputs, joins,
 * lookups), visitors without table — then ours: empty topics and colliding table/loop names.
 */
export function findGraphViolation<C>(parts: GraphParts<C>): GraphValidationError | undefined {
  const { group } = parts.definition;
  if (group === '') return new GraphValidationError(graphEmptyGroup(), { group, rule: 'empty-group' });
  if (parts.loops.length > 1) {
    return new GraphValidationError(graphMultipleLoops(group, parts.loops.length), {
      group,
      rule: 'multiple-loops',
      topic: parts.loopTopic,
    });
  }
  if (parts.tables.length > 1) {
    return new GraphValidationError(graphMultipleTables(group, parts.tables.length), {
      group,
      rule: 'multiple-tables',
      topic: parts.tableTopic,
    });
  }
  if (parts.inputs.length === 0) return new GraphValidationError(graphNoInput(group), { group, rule: 'no-input' });

  const topicEdges: readonly TopicEdge[] = [...parts.outputs, ...parts.inputs, ...parts.joins, ...parts.lookups];
  for (const edge of topicEdges) {
    const details = { group, topic: edge.topic, edge: String(edge) };
    if (edge.topic === parts.loopTopic) {
      const message = graphUsesLoopStream(group, edge.kind, details.edge, edge.topic);
      return new GraphValidationError(message, { ...details, rule: 'uses-loop-stream' });
    }
    if (edge.topic === parts.tableTopic) {
      const message = graphUsesGroupTable(group, edge.kind, details.edge, edge.topic);
      return new GraphValidationError(message, { ...details, rule: 'uses-group-table' });
    }
  }

  const firstVisitor = parts.visitors[0];
  if (firstVisitor !== undefined && parts.tables.length === 0) {
    return new GraphValidationError(graphStatelessVisitors(group, firstVisitor.name), {
      group,
      rule: 'stateless-visitors',
      topic: firstVisitor.name,
      edge: String(firstVisitor),
    });
  }

  const unnamed = [...parts.outputs, ...parts.joins, ...parts.lookups, ...parts.visitors].find((e) => e.topic === '');
  if (unnamed !== undefined) {
    return new GraphValidationError(graphEmptyTopic(group, unnamed.kind), {
      group,
      rule: 'empty-topic',
      topic: '',
      edge: String(unnamed),
    });
  }

  if (parts.loops.length > 0 && parts.tables.length > 0 && parts.loopTopic === parts.tableTopic) {
    return new GraphValidationError(graphTableLoopConflict(group, parts.loopTopic), {
      group,
      rule: 'table-loop-conflict',
      topic: parts.loopTopic,
    });
  }
  return undefined;
}
