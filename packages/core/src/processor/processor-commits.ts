import { CommitFailedError } from '../errors/group-error.js';
import { KafkaConnectionError } from '../errors/kafka-error.js';
import { processorCommitFailed } from './processor.messages.js';
import type { GroupSession } from '../kafka/consumer-group.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { traceOffsetCommit } from '../tracing/commit-span.js';
import type { CommitSpan } from '../tracing/commit-span.js';
import type { GokaLogger } from '../util/logger.js';
import type { PartitionProcessor } from './partition-processor.js';
import type { ProcessorStatsCollector } from './processor-stats-collector.js';
import { TransactionCommitter, isTransactionFailure } from './transaction-committer.js';

/** What the commits of one group membership need of their processor. */
export interface ProcessorCommitsHost {
  readonly group: string;
  readonly logger: GokaLogger;
  readonly stats: ProcessorStatsCollector;
  /** `false` when the processor opted out of tracing: then no commit span even with a tracer provider. */
  readonly tracing: boolean;
  /** The partitions active now. */
  workers(): PartitionProcessor[];
  /** Stops the processor with `error`. */
  fail(error: unknown): void;
}

/**
 * The offset commits of one group membership: on a timer while partitions are assigned, and once more
 * when they are revoked. At-least-once commits the completed offsets to the group; exactly-once
 * commits the open transaction with them.
 */
export class ProcessorCommits {
  private timer: NodeJS.Timeout | undefined;
  /** One commit at a time: while Kafka is unreachable a commit retries, and the timer must not pile up more. */
  private committing: Promise<void> | undefined;

  constructor(
    private readonly host: ProcessorCommitsHost,
    private readonly producer: KafkaProducer | TransactionCommitter,
    stopped: AbortSignal,
  ) {
    // A run can end without a last `revoked` (a crashed member): the timer must not outlive it.
    stopped.addEventListener('abort', () => clearInterval(this.timer), { once: true });
  }

  /** Commits every `intervalMs` in the background during `session`. */
  start(session: GroupSession, intervalMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.commitInBackground(session), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves when no background commit is under way. */
  async settled(): Promise<void> {
    await this.committing;
  }

  /**
   * A refused commit (the group moved on, e.g. after an outage longer than the session timeout)
   * or one that could not reach Kafka only means those messages may be delivered again:
   * at-least-once, as in Goka. Offsets count as committed only once Kafka accepted them, so a
   * failed commit is sent again with the next one.
   */
  async commit(session: GroupSession): Promise<void> {
    const { producer } = this;
    if (producer instanceof TransactionCommitter) {
      // Nothing to commit (no transaction, no offsets, no failure to abort): no commit, no span.
      if (producer.idle && this.host.workers().every((worker) => worker.commitOffsets().length === 0)) return;
      return traceOffsetCommit(this.host.tracing, this.host.group, 'exactly-once', (span) => this.commitTransaction(producer, session, span));
    }
    const workers = this.host.workers();
    const offsets = workers.flatMap((worker) => worker.commitOffsets());
    if (offsets.length === 0) return;
    return traceOffsetCommit(this.host.tracing, this.host.group, 'at-least-once', (span) => this.commitOffsets(session, workers, offsets, span));
  }

  private async commitOffsets(
    session: GroupSession,
    workers: readonly PartitionProcessor[],
    offsets: ReturnType<PartitionProcessor['commitOffsets']>,
    span: CommitSpan | undefined,
  ): Promise<void> {
    span?.offsets(offsets.length);
    const started = performance.now();
    try {
      await session.commit(offsets);
      for (const worker of workers) worker.markCommitted(offsets);
      this.host.stats.commitSucceeded(performance.now() - started);
    } catch (error) {
      this.host.stats.commitFailed();
      span?.failed(error);
      if (error instanceof CommitFailedError) {
        this.host.logger.warn('commit refused: the group rebalanced; those messages will be processed again', {
          generation: session.generation,
        });
        return;
      }
      if (error instanceof KafkaConnectionError) {
        this.host.logger.warn(processorCommitFailed(this.host.group, error.message), { generation: session.generation });
        return;
      }
      throw error;
    }
  }

  private commitInBackground(session: GroupSession): void {
    if (this.committing !== undefined) return;
    this.committing = this.commit(session)
      .catch((error: unknown) => this.host.logger.warn('commit failed', { error }))
      .finally(() => {
        this.committing = undefined;
      });
  }

  /**
   * Exactly-once: commits the open transaction with every partition's completed offsets for the
   * session's generation. A failed transaction was aborted (the instance processes again); an error
   * that does not end only the transaction stops the processor.
   */
  private async commitTransaction(committer: TransactionCommitter, session: GroupSession, span: CommitSpan | undefined): Promise<void> {
    const workers = this.host.workers();
    const generation = { groupId: session.groupId, generation: session.generation, memberId: session.memberId };
    const started = performance.now();
    let committed: boolean;
    try {
      committed = await committer.commit(generation, {
        commitOffsets: () => {
          const offsets = workers.flatMap((worker) => worker.commitOffsets());
          span?.offsets(offsets.length);
          return offsets;
        },
        markCommitted: (offsets) => {
          for (const worker of workers) worker.markCommitted(offsets);
        },
      });
    } catch (error) {
      // Committed, but the local store could not take the transaction's table writes.
      span?.failed(error);
      this.host.fail(error);
      return;
    }
    if (committed) {
      this.host.stats.commitSucceeded(performance.now() - started);
      return;
    }
    this.host.stats.commitFailed();
    const failure = committer.failed;
    span?.failed(failure);
    if (!isTransactionFailure(failure)) this.host.fail(failure);
  }
}
