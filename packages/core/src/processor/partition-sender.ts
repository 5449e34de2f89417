import { ProcessingError, type MessageLocation } from '../errors/processor-error.js';
import type { KafkaProducer } from '../kafka/producer.js';
import type { Transaction } from '../kafka/transaction.js';
import type { StorageOp } from '../storage/storage.js';
import type { PartitionTable } from '../table/partition-table.js';
import type { BatchState } from './batch-state.js';
import type { CommitTracker, PendingMessage } from './commit-tracker.js';
import { refusedRecord } from './input-failure.js';
import { countOutput } from './partition-counters.js';
import type { PartitionCounters } from './partition-counters.js';
import type { PartitionProcessorDeps } from './partition-deps.js';
import { produceWithRetry } from './produce-retry.js';
import { processorProduceAbandoned } from './processor.messages.js';
import { TransactionCommitter, isTransactionFailure } from './transaction-committer.js';

/**
 * Queued batches go out together while their records stay within this many: at a low rate a partition's
 * batches hold one or two records each and a send apiece queued them behind each other's round trips;
 * batches of thousands (a busy partition) each fill a produce already, and merging those measured slower.
 */
const COALESCE_MAX_RECORDS = 500;

/**
 * How many of the oldest `waiting` batches go in the next send: at least one, and more while their
 * records stay within {@link COALESCE_MAX_RECORDS}. Large batches (a busy partition) already fill a produce.
 */
export function sentTogether(waiting: ReadonlyArray<{ readonly batch: { readonly records: { readonly length: number } } }>): number {
  let records = 0;
  let count = 0;
  while (count < waiting.length) {
    records += (waiting[count] as (typeof waiting)[number]).batch.records.length;
    if (count > 0 && records > COALESCE_MAX_RECORDS) break;
    count += 1;
  }
  return count;
}

/** A processed batch waiting for its send, with what releasing its messages needs. */
export interface QueuedSend {
  readonly batch: BatchState;
  /** The batch's messages whose callbacks ran: complete in their trackers once the batch is stored. */
  readonly released: readonly PendingMessage[];
  readonly tracker: CommitTracker;
  /** The input topic of the batch (a visitor's name for a visit). */
  readonly topic: string;
  /** The batch's first message, named when its send fails and no record names a better one. */
  readonly at: MessageLocation | undefined;
  /** The generation: a produce retried past its end is abandoned. */
  readonly signal: AbortSignal;
  /** The batch's share of the instance's in-flight budget, released when its send is done. */
  readonly weight: number;
}

/** Exactly-once: one partition's table writes in one transaction, stored once it committed. */
interface AwaitingCommit {
  readonly transaction: Transaction;
  /** The last operation of each key the transaction's batches wrote. */
  readonly ops: Map<string, StorageOp>;
  /** The table offset of the last table record. */
  offset: number | undefined;
  /** Drop the batches' overlay entries once stored. */
  readonly releases: Array<() => void>;
}

/** What the sender needs of its partition processor. */
export interface PartitionSenderHost {
  readonly counters: PartitionCounters;
  /** Whether an asynchronous failure stopped the partition: nothing more is sent then. */
  stopped(): boolean;
  fail(error: ProcessingError): void;
  location(topic: string, offset: number, key: string): MessageLocation;
}

/**
 * The sends of one partition, in batch order: produce a batch's records, and once Kafka acknowledged
 * them, write its table changes and table offset to storage and release its messages for commit
 * (exactly-once: send in the open transaction, store on its commit). Batches that queue up while a
 * send is in flight go out together, in one produce and one storage write: at a low rate each fetch
 * brings one or two messages, and sending those one by one queued each behind the round trips of
 * the ones before. Large batches go one at a time, as each fills a produce already.
 */
export class PartitionSender {
  #chain: Promise<void> = Promise.resolve();
  /** Batches queued but not sent yet, oldest first. */
  readonly #waiting: QueuedSend[] = [];
  /** One promise per queued batch, oldest first, settling once that batch's send is done. */
  readonly #inFlight: Array<Promise<void>> = [];
  #abandoned = false;
  /** Exactly-once: the table writes of the open transaction, stored once it committed. */
  #uncommitted: AwaitingCommit | undefined;

  constructor(
    private readonly partition: number,
    private readonly deps: PartitionProcessorDeps,
    private readonly table: PartitionTable | undefined,
    private readonly host: PartitionSenderHost,
  ) {}

  /**
   * Set when the generation ended while a produce was being retried: that batch and every later one
   * are dropped unsent (never committed, processed again by the next owner), so the order of the
   * partition's records holds. Also set when a transaction failed.
   */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /** Batches queued whose send is not done yet. */
  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** Settles once the oldest queued batch's send is done. */
  get oldest(): Promise<void> | undefined {
    return this.#inFlight[0];
  }

  /** Settles once every batch queued so far was sent (or dropped); never rejects. */
  get idle(): Promise<void> {
    return this.#chain;
  }

  /** Queues the batch's send after the sends queued before it. */
  send(queued: QueuedSend): void {
    this.#waiting.push(queued);
    const done = this.#chain.then(async () => {
      try {
        await this.#sendWaiting();
      } finally {
        this.#inFlight.shift();
      }
    });
    this.#inFlight.push(done);
    this.#chain = done;
  }

  /** Sends the oldest queued batches (see {@link sentTogether}); never rejects: a failure stops the partition. */
  async #sendWaiting(): Promise<void> {
    const sends = this.#waiting.splice(0, sentTogether(this.#waiting));
    const first = sends[0];
    if (first === undefined) return;
    try {
      if (this.host.stopped() || this.#abandoned) return;
      const { producer } = this.deps;
      if (producer instanceof TransactionCommitter) {
        for (let i = 0; i < sends.length; i++) await this.#sendInTransaction(producer, sends[i] as QueuedSend);
        return;
      }
      await this.#produceAndStore(producer, sends);
    } catch (error) {
      // A failed transaction: the instance drops this partition and processes it again from the
      // committed offsets, so nothing of this batch or a later one is sent or committed here.
      if (this.deps.producer instanceof TransactionCommitter && isTransactionFailure(error)) {
        this.#abandoned = true;
        return;
      }
      const where = this.#failedAt(sends, error) ?? first.at ?? this.host.location(first.topic, -1, '');
      this.host.fail(new ProcessingError(where, { cause: error, async: true }));
    } finally {
      for (let i = 0; i < sends.length; i++) this.deps.budget.release((sends[i] as QueuedSend).weight);
    }
  }

  /** Produces the batches' records in one send; once acknowledged, stores their table writes in one write and releases their messages. */
  async #produceAndStore(producer: KafkaProducer, sends: readonly QueuedSend[]): Promise<void> {
    const first = sends[0] as QueuedSend;
    const { group } = this.deps.host;
    const { partition } = this;
    const records = sends.length === 1 ? first.batch.records : sends.flatMap((queued) => queued.batch.records);
    const target = { group, partition, topic: first.topic, retry: this.deps.produceRetry, logger: this.deps.logger };
    const offsets = records.length === 0 ? [] : await produceWithRetry(producer, records, target, first.signal);
    if (offsets === undefined) {
      this.#abandoned = true;
      this.deps.logger.warn(processorProduceAbandoned(group, partition, first.topic), { partition, topic: first.topic });
      return;
    }
    let ops: StorageOp[] | undefined;
    let tableOffset: number | undefined;
    let base = 0;
    for (let i = 0; i < sends.length; i++) {
      const { batch } = sends[i] as QueuedSend;
      countOutput(this.host.counters, batch);
      if (this.table !== undefined && batch.hasTableWrites) {
        tableOffset = offsets[base + (batch.tableRecords[batch.tableRecords.length - 1] as number)]?.offset;
        // A key written by several batches is put once per batch, in batch order: the last one stays.
        if (ops === undefined) ops = batch.storageOps();
        else for (const op of batch.storageOps()) ops.push(op);
      }
      base += batch.records.length;
    }
    if (this.table !== undefined && ops !== undefined) await this.table.storage.write(ops, tableOffset);
    for (let i = 0; i < sends.length; i++) {
      const { batch, released, tracker } = sends[i] as QueuedSend;
      batch.release();
      for (let j = 0; j < released.length; j++) tracker.complete(released[j] as PendingMessage);
    }
  }

  /**
   * Exactly-once: sends the batch inside the open transaction and releases its messages for the
   * transaction's offsets; its table writes reach the local store only once the transaction committed,
   * in one storage write for all of the partition's batches in that transaction (the last value of
   * each key): a transaction spans many batches, and writing them one by one after the commit delayed
   * the next commit, which made the next transaction larger still.
   */
  async #sendInTransaction(transactions: TransactionCommitter, { batch, released, tracker }: QueuedSend): Promise<void> {
    await transactions.within(async (transaction) => {
      const offsets = batch.records.length === 0 ? [] : await transaction.send(batch.records);
      countOutput(this.host.counters, batch);
      const table = this.table;
      if (table !== undefined && batch.hasTableWrites) {
        // What waits for the commit holds the batch's storage operations only, not its records.
        const pending = this.#awaitingCommit(transactions, transaction, table);
        for (const op of batch.storageOps()) pending.ops.set(op.key, op);
        pending.offset = offsets[batch.tableRecords[batch.tableRecords.length - 1] as number]?.offset ?? pending.offset;
        pending.releases.push(batch.releaser());
      }
      for (let i = 0; i < released.length; i++) tracker.complete(released[i] as PendingMessage);
    });
  }

  /** The table writes of `transaction` waiting for its commit, registered with the committer on first use. */
  #awaitingCommit(transactions: TransactionCommitter, transaction: Transaction, table: PartitionTable): AwaitingCommit {
    const current = this.#uncommitted;
    if (current !== undefined && current.transaction === transaction) return current;
    const pending: AwaitingCommit = { transaction, ops: new Map(), offset: undefined, releases: [] };
    this.#uncommitted = pending;
    transactions.onCommit(async () => {
      if (this.#uncommitted === pending) this.#uncommitted = undefined;
      await table.storage.write([...pending.ops.values()], pending.offset);
      for (const release of pending.releases) release();
    });
    return pending;
  }

  /** The message whose callback wrote the record Kafka refused (too large, ...), when `error` names one. */
  #failedAt(sends: readonly QueuedSend[], error: unknown): MessageLocation | undefined {
    const refused = refusedRecord(error);
    if (refused === undefined) return undefined;
    for (const { batch, topic } of sends) {
      const origin = batch.originOf(refused.topic, refused.partition, refused.key);
      if (origin !== undefined && origin.offset >= 0) return this.host.location(topic, origin.offset, origin.key);
    }
    return undefined;
  }
}
