import type { PartitionTableStats, RecoveryStats } from '../table/partition-table-stats.js';
import type { ViewStats } from '../view/view-stats.js';
import type { ProcessingGuarantee } from './processor-options.js';
import type { TransactionStats } from './transaction-committer.js';
import type { ProcessorState } from './processor-state.js';

/** What a partition processor is doing (Goka's partition-processor states, plus `failed`). */
export type PartitionProcessorState = 'recovering' | 'running' | 'stopping' | 'failed';

/** One input topic (or the loop) of one partition, since the partition was assigned. */
export interface PartitionInputStats {
  /** Messages consumed. */
  readonly count: number;
  /** Value bytes consumed. */
  readonly bytes: number;
  /** The offset of the last message consumed, -1 before the first. */
  readonly lastOffset: number;
  /** The next offset this instance committed last (`undefined`: no commit since the assignment). */
  readonly committed: number | undefined;
  /**
   * The partition's high-water mark as Kafka reported it when the stats were asked (or the last one
   * known when Kafka did not answer in time or it is younger than `maxHighWatermarkAgeMs`), at least
   * the next offset to consume; `undefined` when never known.
   */
  readonly hwm: number | undefined;
  /**
   * Messages not consumed yet: `hwm` − the next offset to consume (the last consumed + 1, else the
   * last commit); `undefined` while either is unknown (nothing consumed or committed since the assignment).
   */
  readonly lag: number | undefined;
}

/** Records written to one topic (outputs, loop, table) and acknowledged by Kafka. */
export interface PartitionOutputStats {
  readonly count: number;
  readonly bytes: number;
}

/** One partition a processor instance holds: assigned (`active`) or kept warm (`standby`). */
export interface PartitionProcessorStats {
  readonly partition: number;
  /** `active`: assigned, consuming its inputs; `standby`: a hot-standby copy of the group table only. */
  readonly mode: 'active' | 'standby';
  /**
   * `recovering` (tables and joins recovering), `running`, `stopping` (revoked, finishing its work) or
   * `failed` (a message failed: the processor stops).
   */
  readonly state: PartitionProcessorState;
  /** Per input topic (and the loop) of an active partition; empty for a standby. */
  readonly input: Readonly<Record<string, PartitionInputStats>>;
  /** Per written topic (outputs, loop, table) of an active partition; empty for a standby. */
  readonly output: Readonly<Record<string, PartitionOutputStats>>;
  /** Callbacks (or input decodes) of this partition that threw since it was assigned. */
  readonly callbackErrors: number;
  /** What the error policies did in this partition since it was assigned. */
  readonly errorPolicy: ErrorPolicyStats;
  /** The first recovery of the group-table partition (`undefined` for a stateless group). */
  readonly recovery: RecoveryStats | undefined;
  /** The group-table partition: offset, high-water mark, lag, records applied (progress while recovering). */
  readonly table?: PartitionTableStats;
}

/** What the error policies (`onError`) did with failed records. */
export interface ErrorPolicyStats {
  /** Callback runs repeated by `retry()`. */
  readonly retried: number;
  /** Records skipped (`'skip'`, or a retry's `then: 'skip'`). */
  readonly skipped: number;
  /** Records sent to a dead-letter topic and acknowledged there. */
  readonly deadLettered: number;
}

/** Offset commits of a processor instance since it started (each commit carries all its partitions). */
export interface ProcessorCommitStats {
  /** Commits Kafka accepted. */
  readonly count: number;
  /** Commits refused (rebalance) or not delivered (connection); their offsets are sent again. */
  readonly failed: number;
  /** Summed round-trip time of the accepted commits, ms. */
  readonly totalLatencyMs: number;
  /** Round-trip time of the last accepted commit, ms (`undefined` before the first). */
  readonly lastLatencyMs: number | undefined;
}

/** What {@link Processor.stats} reports. */
export interface ProcessorStats {
  readonly group: string;
  readonly state: ProcessorState;
  /** Offset commits (exactly-once: transaction commits, which carry the offsets). */
  readonly commits: ProcessorCommitStats;
  readonly guarantee: ProcessingGuarantee;
  /** Exactly-once: transactions committed and aborted, and how long a commit takes. */
  readonly transactions?: TransactionStats;
  /**
   * Callbacks (or input decodes) that threw since the processor was created, retries included; under
   * the default policy `'fail'` the first stops it (see `ProcessingError`).
   */
  readonly callbackErrors: number;
  /** What the error policies did since the processor was created. */
  readonly errorPolicy: ErrorPolicyStats;
  /** Held partitions (active and standby) in partition order. */
  readonly partitions: readonly PartitionProcessorStats[];
  /** The view of every lookup table. */
  readonly lookups: Readonly<Record<string, ViewStats>>;
}

/** Options of {@link Processor.stats}. */
export interface ProcessorStatsOptions {
  /**
   * Ask Kafka for the high-water marks only when one known is older than this (or unknown), ms; a
   * frequent sampler (the monitor) counts at its own pace and refreshes the marks at this slower one.
   * @default 0 (ask at every call)
   */
  readonly maxHighWatermarkAgeMs?: number;
}
