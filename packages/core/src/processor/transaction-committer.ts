import { CommitFailedError } from '../errors/group-error.js';
import { GokaError } from '../errors/goka-error.js';
import { KafkaConnectionError, ProducerFencedError } from '../errors/kafka-error.js';
import { isRetriableProduceError } from '../kafka/retriable-produce-error.js';
import type { CommitOffset } from '../kafka/consumer-group.js';
import type { GroupGeneration, Transaction, TransactionalProducer } from '../kafka/transaction.js';
import type { GokaLogger } from '../util/logger.js';

/** Transactions of a processor instance since it started, for stats. */
export interface TransactionStats {
  /** Transactions committed. */
  readonly committed: number;
  /** Transactions aborted (a failed send or commit, a lost generation, a fenced producer). */
  readonly aborted: number;
  /** Summed time from the commit's start (waiting for in-flight sends) to EndTxn's answer, ms. */
  readonly totalCommitMs: number;
  /** The time the last commit took, ms (`undefined` before the first). */
  readonly lastCommitMs: number | undefined;
  /** The error of the last abort (`undefined` before the first). */
  readonly lastAbortReason: string | undefined;
}

/** What the offsets of a commit are drawn from, and told once Kafka committed them. */
export interface OffsetSource {
  commitOffsets(): CommitOffset[];
  markCommitted(offsets: readonly CommitOffset[]): void;
}

/**
 * The transactions of an exactly-once processor instance (one transactional producer, one
 * transaction open at a time across all its partitions, as Kafka Streams' EOS v2). Partitions do
 * their sends {@link within} the open transaction; {@link commit} waits for that work, adds the
 * input offsets (with the group generation, KIP-447), commits, and only then runs what waited for the
 * commit (local store writes). From the commit's start until EndTxn answered, new work waits for the
 * next transaction; the store writes of a committed transaction run while the next one takes sends
 * (the next commit waits for them, so they stay in order). Any
 * failure aborts the transaction and leaves the committer failed until {@link reset}: the instance
 * must then drop its partitions' uncommitted state and process again from the committed offsets.
 */
export class TransactionCommitter {
  private producer: TransactionalProducer;
  private current: Transaction | undefined;
  private readonly work = new Set<Promise<unknown>>();
  private afterCommit: Array<() => Promise<void>> = [];
  private committing: Promise<void> | undefined;
  /** Set from a commit's start until its EndTxn answered (or it failed): new work waits meanwhile. */
  private holding: Promise<void> | undefined;
  private failure: unknown;
  private readonly counters = { committed: 0, aborted: 0, totalCommitMs: 0, lastCommitMs: undefined as number | undefined, lastAbortReason: undefined as string | undefined };

  constructor(
    private readonly createProducer: () => TransactionalProducer,
    private readonly logger: GokaLogger,
    private readonly onFailure: (error: unknown) => void,
  ) {
    this.producer = createProducer();
  }

  /** Registers the transactional id with Kafka (fencing older producers of this id). */
  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Whether a commit has nothing of its own to do: no open transaction, no work in one, no failure to abort. */
  get idle(): boolean {
    return this.current === undefined && this.work.size === 0 && this.failure === undefined;
  }

  /** The error that failed the current transaction, if any. */
  get failed(): unknown {
    return this.failure;
  }

  stats(): TransactionStats {
    return { ...this.counters };
  }

  /**
   * Runs `work` with the open transaction (opening one), once a commit under way has its EndTxn
   * answer (its store writes may still run). A commit waits for it. Rejects with the committer's failure once the transaction failed; a rejection of
   * `work` fails the transaction.
   */
  async within<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    while (this.holding !== undefined) await this.holding;
    if (this.failure !== undefined) throw this.failure;
    let transaction: Transaction;
    try {
      transaction = this.current ??= this.producer.begin();
    } catch (error) {
      this.fail(error);
      throw error;
    }
    const running = work(transaction);
    this.work.add(running);
    try {
      return await running;
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.work.delete(running);
    }
  }

  /** Runs `step` once the open transaction committed (dropped if it aborts). Call it from {@link within}. */
  onCommit(step: () => Promise<void>): void {
    this.afterCommit.push(step);
  }

  /**
   * Commits the open transaction with the offsets of `source` for `generation`, then runs the steps
   * that waited for it. Resolves `false` (having aborted) when the transaction failed, `true` when it
   * committed or there was nothing to commit. One commit at a time.
   */
  commit(generation: GroupGeneration, source: OffsetSource): Promise<boolean> {
    const previous = this.committing;
    const next = (async (): Promise<boolean> => {
      if (previous !== undefined) await previous.catch(() => undefined);
      return this.commitNow(generation, source);
    })();
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.committing = settled;
    void settled.then(() => {
      if (this.committing === settled) this.committing = undefined;
    });
    return next;
  }

  private async commitNow(generation: GroupGeneration, source: OffsetSource): Promise<boolean> {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holding = hold;
    const unhold = (): void => {
      if (this.holding === hold) this.holding = undefined;
      release();
    };
    try {
      return await this.commitHeld(generation, source, unhold);
    } finally {
      unhold();
    }
  }

  /** {@link commitNow} while new work is held; calls `unhold` once the transaction ended (before its store writes). */
  private async commitHeld(generation: GroupGeneration, source: OffsetSource, unhold: () => void): Promise<boolean> {
    const started = performance.now();
    while (this.work.size > 0) await Promise.allSettled(this.work);
    if (this.failure !== undefined) {
      await this.abort();
      return false;
    }
    const offsets = source.commitOffsets();
    const transaction = this.current;
    if (transaction === undefined && offsets.length === 0) return true;
    try {
      const open = transaction ?? (this.current = this.producer.begin());
      if (offsets.length > 0) await open.sendOffsets(generation, offsets);
      await open.commit();
    } catch (error) {
      this.fail(error);
      await this.abort();
      return false;
    }
    this.current = undefined;
    const steps = this.afterCommit;
    this.afterCommit = [];
    const elapsed = performance.now() - started;
    this.counters.committed += 1;
    this.counters.totalCommitMs += elapsed;
    this.counters.lastCommitMs = elapsed;
    source.markCommitted(offsets);
    // The next transaction may take sends now: its steps queue separately, its commit waits for these.
    unhold();
    for (const step of steps) await step();
    return true;
  }

  /**
   * Makes the committer usable again after a failure: aborts what is left of the failed transaction
   * and, when the producer was fenced, connects a new one with the same transactional id (bumping its
   * epoch). Call it once the instance dropped its partitions' uncommitted state.
   */
  async reset(): Promise<void> {
    while (this.committing !== undefined) await this.committing;
    await this.abort();
    const failure = this.failure;
    this.failure = undefined;
    if (failure instanceof ProducerFencedError) {
      await this.producer.disconnect().catch(() => undefined);
      this.producer = this.createProducer();
      await this.producer.connect();
    }
  }

  /** Aborts an open transaction (best effort) and closes the producer. */
  async close(): Promise<void> {
    while (this.committing !== undefined) await this.committing;
    await this.abort();
    await this.producer.disconnect();
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.counters.lastAbortReason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.onFailure(error);
  }

  private async abort(): Promise<void> {
    this.afterCommit = [];
    const open = this.current;
    this.current = undefined;
    if (open === undefined) return;
    this.counters.aborted += 1;
    try {
      await open.abort();
    } catch (error) {
      // A fenced producer or a transaction the coordinator already aborted: nothing is left to undo.
      this.logger.debug(`abort failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * Whether `error` ends only the current transaction, not the processor: the producer was fenced, the
 * generation ended, or Kafka could not be reached or answered with a retriable error (a broker
 * restart). The instance then processes again from the committed offsets. Anything else (a record
 * Kafka refuses for good, a storage failure) stops the processor.
 */
export function isTransactionFailure(error: unknown): boolean {
  return (
    error instanceof ProducerFencedError ||
    error instanceof CommitFailedError ||
    error instanceof KafkaConnectionError ||
    isRetriableProduceError(error) ||
    (error instanceof GokaError && error.retriable)
  );
}
