import type { GokaLogger } from '../util/logger.js';

/** What to do when an existing topic differs from what was asked for. */
export type MismatchPolicy = 'ignore' | 'warn' | 'fail';

/** Options of {@link TopicManager} (Goka's `TopicManagerConfig`). */
export interface TopicManagerOptions {
  /** Replication factor of group tables it creates, lowered to the broker count. @default 2 */
  readonly tableReplication?: number;
  /** Replication factor of streams (loop topics) it creates, lowered to the broker count. @default 2 */
  readonly streamReplication?: number;
  /** `retention.ms` of streams it creates. @default 3600000 (1 h, as Goka) */
  readonly streamRetentionMs?: number;
  /** `retention.ms` of dead-letter topics it creates (an error policy's `deadLetter()`). @default 604800000 (7 days) */
  readonly deadLetterRetentionMs?: number;
  /** Extra configs of tables it creates. @default { 'cleanup.policy': 'compact' } */
  readonly tableConfig?: Readonly<Record<string, string>>;
  /** Extra configs of streams it creates. @default { 'cleanup.policy': 'delete' } */
  readonly streamConfig?: Readonly<Record<string, string>>;
  /** Existing topics with other partitions, replication or configs. @default 'warn' */
  readonly mismatch?: MismatchPolicy;
  /** Never create topics; a missing one is an error. @default false */
  readonly noCreate?: boolean;
  /** @default streamLogger('warn') */
  readonly logger?: GokaLogger;
}
