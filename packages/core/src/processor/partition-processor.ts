import type { Codec } from '../codec/codec.js';
import { MessageContext } from '../context/message-context.js';
import type { CommitDeferrer, ContextHost, ContextMessage } from '../context/message-context.js';
import { CodecError } from '../errors/codec-error.js';
import { ProcessingError, type MessageLocation } from '../errors/processor-error.js';
import type { CommitOffset } from '../kafka/consumer-group.js';
import type { Headers, KafkaMessage } from '../kafka/message.js';
import type { Storage } from '../storage/storage.js';
import type { PartitionTable } from '../table/partition-table.js';
import { BatchState } from './batch-state.js';
import type { BatchHost, PendingWrite } from './batch-state.js';
import type { CommitTracker, PendingMessage } from './commit-tracker.js';
import { batchWeight } from './in-flight-budget.js';
import { applyErrorPolicy } from './error-policy-run.js';
import type { ErrorPolicyHost, MessageRun } from './error-policy-run.js';
import { countInput, newPartitionCounters } from './partition-counters.js';
import type { PartitionCounters } from './partition-counters.js';
import { PartitionOffsets } from './partition-offsets.js';
import type { PartitionProcessorDeps } from './partition-deps.js';
import { PartitionSender } from './partition-sender.js';
import type { PartitionProcessorState } from './processor-stats.js';
import { batchTracing } from '../tracing/process-span.js';

/** Batches of one partition whose records may be in flight at once before processing waits. */
const MAX_IN_FLIGHT_BATCHES = 4;
const EMPTY = Buffer.alloc(0);
const NO_HEADERS: Headers = Object.freeze({});
/** The entry of a {@link MessageRun} before its first message. */
const NO_ENTRY: PendingMessage = Object.freeze({ offset: -1, pending: 0, failedRuns: 0 }) as PendingMessage;


export type { PartitionCounters, PolicyOutcome } from './partition-counters.js';
export type { PartitionProcessorDeps } from './partition-deps.js';

/**
 * One partition of a processor: a sequential worker over every input topic and the loop of that
 * partition number. Each batch: load the batch's table and join values in one storage read each,
 * run the callbacks (awaiting only those that return a promise), then produce the batch's records in
 * one send; when Kafka acknowledged them, write the table changes and the table offset to storage in
 * one batch and release the messages for commit. The local store therefore never holds a value Kafka
 * has not acknowledged; later messages see earlier writes through an overlay meanwhile.
 */
export class PartitionProcessor implements BatchHost, CommitDeferrer<PendingMessage> {
  readonly overlay = new Map<string, PendingWrite>();
  readonly counters: PartitionCounters = newPartitionCounters();
  /** Whether the last {@link runOnce} failed decoding the value (rather than in the callback). */
  private decodeFailed = false;
  private readonly offsets: PartitionOffsets;
  private readonly contextHost: ContextHost;
  /** What {@link applyErrorPolicy} needs of this partition. */
  private readonly policyHost: ErrorPolicyHost;
  private readonly sender: PartitionSender;
  private seq = 0;
  private failure: ProcessingError | undefined;
  /** Set by the processor: recovering until its tables are recovered, stopping once revoked. */
  phase: 'recovering' | 'running' | 'stopping' = 'recovering';

  constructor(
    readonly partition: number,
    private readonly deps: PartitionProcessorDeps,
    private readonly table: PartitionTable | undefined,
    private readonly joins: ReadonlyMap<string, PartitionTable>,
  ) {
    this.contextHost = { ...deps.host, partition };
    this.offsets = new PartitionOffsets(partition);
    this.sender = new PartitionSender(partition, deps, table, {
      counters: this.counters,
      stopped: () => this.failure?.async === true,
      fail: (error) => this.failAsync(error),
      location: (topic, offset, key) => this.location(topic, offset, key),
    });
    this.policyHost = {
      partition,
      deps,
      counters: this.counters,
      decodeFailed: () => this.decodeFailed,
      runOnce: (run) => this.runOnce(run),
      location: (topic, offset, key) => this.location(topic, offset, key),
    };
  }

  /** The partition's state for stats. */
  get state(): PartitionProcessorState {
    return this.failure === undefined ? this.phase : 'failed';
  }

  /** Input topics seen so far and their committed next-offsets (`undefined`: nothing committed yet). */
  committed(topic: string): number | undefined {
    return this.offsets.committed(topic);
  }

  tableStorage(): Storage | undefined {
    return this.table?.storage;
  }

  *joinStorages(): Iterable<[string, Storage]> {
    for (const [topic, table] of this.joins) yield [topic, table.storage];
  }

  /** The current table bytes of `key` (unacknowledged writes included), if this partition has a table. */
  async tableBytes(key: string): Promise<Buffer | undefined> {
    const pending = this.overlay.get(key);
    if (pending !== undefined) return pending.value ?? undefined;
    return this.table?.storage.get(key);
  }

  /**
   * Processes one batch of `topic`. Resolves once the callbacks ran and the batch's records were
   * handed to the producer (acknowledgement follows asynchronously); rejects with a
   * {@link ProcessingError} for the first message that failed, after the messages before it were
   * produced, stored and released for commit.
   */
  process(topic: string, messages: readonly KafkaMessage[], signal: AbortSignal): Promise<void> {
    return this.exclusive(() => this.processNow(topic, messages, signal));
  }

  /**
   * Runs visitor `name` for `keys` (table keys of this partition) with `meta` as the message, between
   * batches of input; resolves with the number visited once their side effects were acknowledged.
   */
  visit(name: string, keys: readonly string[], meta: unknown, signal: AbortSignal): Promise<number> {
    return this.exclusive(async () => {
      if (this.failure !== undefined) throw this.failure;
      const callback = this.deps.graph.visitorCallback(name);
      if (callback === undefined) return 0;
      const batch = new BatchState(this, ++this.seq);
      await batch.load(keys);
      let visited = 0;
      let failure: ProcessingError | undefined;
      for (const key of keys) {
        if (signal.aborted) break;
        batch.mark(key);
        const context = new MessageContext(this.contextHost, batch, key, name, 0, Date.now(), NO_HEADERS, signal);
        try {
          const wrapped = this.deps.contextWrapper === undefined ? context : this.deps.contextWrapper(context);
          const result = callback(wrapped, meta);
          if (result !== undefined) await result;
          visited += 1;
        } catch (error) {
          batch.rollback();
          failure = new ProcessingError({ group: this.deps.host.group, topic: name, partition: this.partition, offset: 0, key }, { cause: error });
          break;
        } finally {
          context.close();
        }
      }
      const at = { group: this.deps.host.group, topic: name, partition: this.partition, offset: 0, key: keys[0] ?? '' };
      this.send(batch, [], name, at, signal);
      await this.sender.idle;
      if (failure !== undefined) {
        this.failAsync(failure);
        throw failure;
      }
      if (this.failure !== undefined) throw this.failure;
      return visited;
    });
  }

  private lane: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it on this partition (batches and visits alternate). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.lane.then(work);
    this.lane = result.catch(() => undefined);
    return result;
  }

  private async processNow(topic: string, messages: readonly KafkaMessage[], signal: AbortSignal): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    // Waits for the oldest send only: the next batch starts as soon as one slot is free.
    while (this.sender.inFlight >= MAX_IN_FLIGHT_BATCHES) await this.sender.oldest;
    // The instance's other partitions may hold the budget: wait for room. The queued send releases it.
    const weight = batchWeight(messages);
    const failure = await this.deps.budget.admit(weight, () => this.processAdmitted(topic, messages, weight, signal));
    if (failure !== undefined) {
      await this.sender.idle;
      this.failure ??= failure;
      throw failure;
    }
  }

  /** Runs the batch's callbacks and queues its send; resolves with the first message that failed, if one did. */
  private async processAdmitted(
    topic: string,
    messages: readonly KafkaMessage[],
    weight: number,
    signal: AbortSignal,
  ): Promise<ProcessingError | undefined> {
    // The generation ended while a send was retried: nothing more is processed or sent here.
    if (this.sender.abandoned) {
      this.deps.budget.release(weight);
      return undefined;
    }
    const { graph } = this.deps;
    const callback = graph.callback(topic);
    const codec = graph.codec(topic) as Codec<unknown>;
    const tracker = this.tracker(topic);
    const keys = messages.map((message) => (message.key === null ? '' : message.key.toString('utf8')));
    const tracing = batchTracing(this.deps.tracing, this.deps.host.group, this.partition);
    const batch = new BatchState(this, ++this.seq, tracing);
    await batch.load(this.table === undefined && this.joins.size === 0 ? [] : keys);

    const released: PendingMessage[] = [];
    let failure: ProcessingError | undefined;
    const run: MessageRun = { callback, codec, topic, batch, signal, message: messages[0] as KafkaMessage, key: '', entry: NO_ENTRY, trace: undefined };
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index] as KafkaMessage;
      const key = keys[index] as string;
      countInput(this.counters, topic, message);
      if (message.value === null && this.deps.nilHandling === 'ignore') {
        tracker.add(message.offset, 0);
        continue;
      }
      const entry = tracker.add(message.offset, 1);
      run.message = message;
      run.key = key;
      run.entry = entry;
      run.trace = tracing?.message(message, key);
      let caught: unknown;
      let failed = false;
      try {
        const pending = this.runOnce(run);
        if (pending !== undefined) await pending;
      } catch (error) {
        failed = true;
        caught = error;
      }
      if (!failed) {
        run.trace?.end();
        released.push(entry);
        continue;
      }
      run.trace?.failed(this.counters);
      const outcome = await applyErrorPolicy(this.policyHost, run, caught);
      run.trace?.policyApplied(caught, outcome, this.counters);
      if (outcome === 'released') released.push(entry);
      else if (outcome === 'interrupted') break;
      else {
        failure = outcome;
        break;
      }
    }
    const first = messages[0];
    this.send(batch, released, topic, first === undefined ? undefined : this.location(topic, first.offset, keys[0] ?? ''), signal, weight);
    return failure;
  }

  /** Waits until running work (a batch, a visit step) ended and every send was acknowledged and stored. */
  async drain(): Promise<void> {
    await this.lane;
    await this.sender.idle;
  }

  /**
   * Offsets that may be committed now (the completed prefix of each topic) and were not committed yet.
   * Call {@link markCommitted} once Kafka accepted them: a failed commit is sent again next time.
   */
  commitOffsets(): CommitOffset[] {
    return this.offsets.commitOffsets();
  }

  /** Records that Kafka accepted the commit of `offsets` (from {@link commitOffsets}). */
  markCommitted(offsets: readonly CommitOffset[]): void {
    this.offsets.markCommitted(offsets);
  }

  /** The error that stopped this partition, if any. */
  get error(): ProcessingError | undefined {
    return this.failure;
  }

  private tracker(topic: string): CommitTracker {
    return this.offsets.tracker(topic);
  }

  /**
   * Runs the callback of `run`'s message once: marks the batch, decodes the value, calls the callback
   * and returns its promise (`undefined` when it returned synchronously). On failure the batch is
   * rolled back to the mark and {@link decodeFailed} says whether the value did not decode.
   */
  private runOnce(run: MessageRun): Promise<void> | undefined {
    const { batch, message, key, topic, entry } = run;
    batch.mark(key, message.key ?? undefined, message.offset);
    const context = new MessageContext(this.contextHost, batch, key, topic, message.offset, message.timestamp, message.headers, run.signal, this, entry);
    let result: void | Promise<void>;
    try {
      if (run.callback === undefined) throw new Error(`cannot handle topic ${topic}: it is no input of the group`);
      this.decodeFailed = true;
      const value = this.decodeInput(run.codec, message, topic, key);
      this.decodeFailed = false;
      const wrapped = this.deps.contextWrapper === undefined ? context : this.deps.contextWrapper(context);
      result = run.trace === undefined ? run.callback(wrapped, value) : run.trace.within(run.callback, wrapped, value);
    } catch (error) {
      this.failedRun(run, context);
      throw error;
    }
    if (result === undefined) {
      context.close();
      return undefined;
    }
    return Promise.resolve(result).then(
      () => context.close(),
      (error: unknown) => {
        this.failedRun(run, context);
        throw error;
      },
    );
  }

  /** Undoes a failed run: its writes, the commits it deferred; counts it. */
  private failedRun(run: MessageRun, context: MessageContext<unknown>): void {
    context.close();
    run.batch.rollback();
    run.entry.failedRuns += 1;
    run.entry.pending = 1;
    this.counters.callbackErrors += 1;
    this.deps.onCallbackError?.();
  }

  private decodeInput(codec: Codec<unknown>, message: KafkaMessage, topic: string, key: string): unknown {
    if (message.value === null && this.deps.nilHandling === 'process') return null;
    try {
      return codec.decode(message.value ?? EMPTY);
    } catch (error) {
      throw CodecError.wrap(error, { operation: 'decode', topic, key });
    }
  }

  /** Queues the batch's send (see {@link PartitionSender.send}). */
  private send(
    batch: BatchState,
    released: readonly PendingMessage[],
    topic: string,
    at: MessageLocation | undefined,
    signal: AbortSignal,
    weight = 0,
  ): void {
    this.sender.send({ batch, released, tracker: this.tracker(topic), topic, at, signal, weight });
  }

  /** Keeps the commit of `context`'s message (`entry`) back until the returned function is called. */
  deferCommit(context: ContextMessage, entry: PendingMessage): (error?: unknown) => void {
    const { topic, offset, key } = context;
    entry.pending += 1;
    const run = entry.failedRuns;
    let called = false;
    return (error?: unknown) => {
      // Once more, or from a run that failed (its deferral was dropped with its writes): nothing to do.
      if (called || entry.failedRuns !== run) return;
      called = true;
      if (error !== undefined && error !== null) {
        this.failAsync(new ProcessingError(this.location(topic, offset, key), { cause: error, async: true }));
        return;
      }
      this.tracker(topic).complete(entry);
    };
  }

  private failAsync(error: ProcessingError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.deps.onAsyncError(error);
  }

  private location(topic: string, offset: number, key: string): MessageLocation {
    return { group: this.deps.host.group, topic, partition: this.partition, offset, key };
  }
}

// Moved to kafka/ (the emitter retries by the same rule); re-exported for existing importers.
export { isRetriableProduceError } from '../kafka/retriable-produce-error.js';
