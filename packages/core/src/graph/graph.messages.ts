/** Messages of `GraphValidationError`, thrown by `defineGroup` and `GroupGraph.validate()` (Goka's wording where Goka has one). */

import { describeType, quote } from '../util/quote.js';

/** Prefix of every graph message: `invalid group graph "clicks"`. */
function graphLabel(group: string): string {
  return `invalid group graph ${quote(group)}`;
}

/** `defineGroup` got something that is not an edge (Goka silently ignores unknown edges). */
export function graphInvalidEdge(group: string, index: number, value: unknown): string {
  return (
    `${graphLabel(group)}: edge #${index} is not a graph edge (got ${describeType(value)}); ` +
    'build edges with input(), inputs(), join(), lookup(), loop(), output(), persist() or visitor()'
  );
}

/** An input edge with an empty topic (Goka panics: `Input topic cannot be empty. This will not work.`). */
export function graphEmptyInputTopic(group: string): string {
  return `${graphLabel(group)}: input topic cannot be empty. This will not work.`;
}

/** A second input callback for one topic (Goka panics with the same sentence). */
export function graphDuplicateInput(group: string, topic: string): string {
  return (
    `${graphLabel(group)}: callback for topic ${quote(topic)} already exists. ` +
    'It is illegal to consume a topic twice (declare one input per topic and branch inside its callback)'
  );
}

/** The group name is empty (Goka does not check; it would name the topics `-table` and `-loop`). */
export function graphEmptyGroup(): string {
  return (
    `${graphLabel('')}: the group name cannot be empty ` +
    '(it names the consumer group, the group table and the loop stream)'
  );
}

/** Goka rule 1: more than one `loop` edge. */
export function graphMultipleLoops(group: string, count: number): string {
  return `${graphLabel(group)}: more than one loop stream in group graph (${count} loop edges; declare loop() at most once)`;
}

/** Goka rule 2: more than one `persist` edge. */
export function graphMultipleTables(group: string, count: number): string {
  return `${graphLabel(group)}: more than one group table in group graph (${count} persist edges; declare persist() at most once)`;
}

/** Goka rule 3: no input edge (a loop alone does not count). */
export function graphNoInput(group: string): string {
  return (
    `${graphLabel(group)}: no input stream in group graph ` +
    '(declare at least one input(topic, codec, callback); a loop alone does not count)'
  );
}

/** Goka rule 4: an output, input, join or lookup edge names the group's loop topic. */
export function graphUsesLoopStream(group: string, kind: string, edge: string, topic: string): string {
  return (
    `${graphLabel(group)}: should not directly use loop stream: ${kind} edge ${quote(edge)} ` +
    `uses the loop topic ${quote(topic)} (declare loop(codec, callback) and write with ctx.loopback())`
  );
}

/** Goka rule 5: an output, input, join or lookup edge names the group's table topic. */
export function graphUsesGroupTable(group: string, kind: string, edge: string, topic: string): string {
  return (
    `${graphLabel(group)}: should not directly use group table: ${kind} edge ${quote(edge)} ` +
    `uses the group table ${quote(topic)} (declare persist(codec) and use ctx.value() / ctx.setValue())`
  );
}

/** Goka rule 6: visitor edges in a graph without `persist`. */
export function graphStatelessVisitors(group: string, visitor: string): string {
  return (
    `${graphLabel(group)}: visitors cannot be used in a stateless processor ` +
    `(visitor ${quote(visitor)} iterates the group table; declare persist(codec))`
  );
}

/** An output, join or lookup topic, or a visitor name, is empty (Goka does not check). */
export function graphEmptyTopic(group: string, kind: string): string {
  const what = kind === 'visitor' ? 'visitor name' : `${kind} topic`;
  return `${graphLabel(group)}: ${what} cannot be empty`;
}

/** The table and loop suffixes give the same topic name while the graph uses both. */
export function graphTableLoopConflict(group: string, topic: string): string {
  return (
    `${graphLabel(group)}: the group table and the loop stream are both named ${quote(topic)} ` +
    '(tableSuffix and loopSuffix must differ)'
  );
}
