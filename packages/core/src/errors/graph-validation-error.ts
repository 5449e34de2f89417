import { GokaError } from './goka-error.js';
import type { GokaErrorCode } from './error-codes.js';

/**
 * The rule a group graph broke. Goka's own rules, in the order `validate()` checks them, are
 * `multiple-loops`, `multiple-tables`, `no-input`, `uses-loop-stream` / `uses-group-table` and
 * `stateless-visitors`; `empty-group` (checked first), `empty-topic` and `table-loop-conflict`
 * (checked last) are ours. `invalid-edge`, `empty-input-topic` and `duplicate-input` are thrown by
 * `defineGroup` itself, where Goka panics; `invalid-codec` by the edge constructors (`input`, `join`,
 * ...) when their codec is not a codec (group `''`: the edge has none yet); `invalid-error-policy` by
 * `retry()`, `deadLetter()`, the input edges and the processor for an `onError` that is not a policy.
 */
export type GraphRule =
  | 'invalid-edge'
  | 'invalid-codec'
  | 'invalid-error-policy'
  | 'empty-input-topic'
  | 'duplicate-input'
  | 'empty-group'
  | 'multiple-loops'
  | 'multiple-tables'
  | 'no-input'
  | 'uses-loop-stream'
  | 'uses-group-table'
  | 'stateless-visitors'
  | 'empty-topic'
  | 'table-loop-conflict';

/** Fields of a {@link GraphValidationError} besides its message. */
export interface GraphValidationDetails {
  /** The group of the graph (may be `''` for rule `empty-group`). */
  readonly group: string;
  readonly rule: GraphRule;
  /** The offending topic (or visitor name), when the rule concerns one. */
  readonly topic?: string | undefined;
  /** The offending edge as `String(edge)` (`clicks/string`), when the rule concerns one. */
  readonly edge?: string | undefined;
}

/**
 * A group graph is unusable: thrown by `defineGroup` for edges it cannot even record, and by
 * `GroupGraph.validate()` (returned by `GroupGraph.validationError()`) for graphs that break one of
 * Goka's rules. `rule` tells which one; the message names the group and the topic or edge.
 */
export class GraphValidationError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_GRAPH_INVALID';

  readonly group: string;
  readonly rule: GraphRule;
  readonly topic: string | undefined;
  readonly edge: string | undefined;

  constructor(message: string, details: GraphValidationDetails) {
    super(new.target.code, message);
    this.group = details.group;
    this.rule = details.rule;
    this.topic = details.topic;
    this.edge = details.edge;
  }
}
