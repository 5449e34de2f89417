import { GokaError, PartitionNotFoundError, PartitionReadError, TopicNotFoundError } from '@goka/core';
import type { GokaLogger } from '@goka/core';
import type { IsolationLevel, PartitionReader, ReadBatch } from '@goka/core/kafka';
import { fetchRecords } from '../protocol/fetch-request.js';
import type { FetchedPartition, FetchRequestOptions, FetchTransport } from '../protocol/fetch-request.js';
import { isOffsetOutOfRange, isUnknownTopic } from '../kafkajs-errors.js';
import { fetchPartitionError } from '../kafkajs-internals.js';
import type { RawCluster } from '../kafkajs-internals.js';
import { fetchBudget, neededAfterCut, planFetch } from './fetch-plan.js';
import { retryDelay, retrying, shouldRetry } from './reader-retry.js';
import { dequeue, enqueue, handBack, newSubscription, wantingFetch } from './subscription.js';
import type { Subscription } from './subscription.js';

export interface KafkajsReaderSettings {
  readonly maxWaitMs: number;
  readonly maxBytesPerPartition: number;
  /**
   * Most bytes one fetch request asks for over all its partitions (capped at 50 MiB): each partition
   * asks for an equal share, between 64 KiB and `maxBytesPerPartition` (a partition whose next batch
   * is larger, so that the broker cut it, asks for that batch's size until it has it); the broker
   * answers with at most this much. Fetched batches wait in memory for their readers: one per
   * partition, and a second only while those waiting weigh less than this, so it bounds the memory of
   * reading many partitions. Defaults to no cap below 50 MiB.
   */
  readonly maxBytes?: number;
  /** How a fetch request is sent and its answer decoded (tests replace it). @default {@link fetchRecords} */
  readonly fetch?: FetchTransport;
  /** How long a failing partition (or the set-up of a read) is retried before `read()` rejects. */
  readonly retryTimeoutMs: number;
  readonly logger: GokaLogger;
  /**
   * `read_committed`: fetches with isolation level 1 (records of aborted transactions left out, each
   * partition ends at its last stable offset, which `ReadBatch.highWatermark` then reports).
   * @default 'read_uncommitted'
   */
  readonly isolationLevel?: IsolationLevel;
}

/**
 * {@link PartitionReader} on kafkajs' internal cluster: every partition being read joins one fetch
 * session that sends ONE fetch request per leader broker for all of them (a broker answers requests of
 * a connection in order, so a long-polling fetch per partition would serialize), and hands each
 * partition's records to its reader. Offsets out of range are reset to the oldest offset (or the
 * high-water mark when past it).
 *
 * The reader owns its retries (its cluster is built without kafkajs' own retries): a partition whose
 * broker fails is fetched again after a backoff (100 ms growing to 5 s) while the other partitions go
 * on, and metadata is refreshed so that a broker that came back (or a new leader) is found. After
 * `retryTimeoutMs` of failures, or at once for an error that is not retriable, that partition's
 * `read()` rejects with a {@link PartitionReadError}. The reader stays usable: a later `read()` (a
 * table retrying after a reconnect backoff) starts a fresh subscription.
 */
export class KafkajsReader implements PartitionReader {
  private readonly subscriptions = new Set<Subscription>();
  private loop: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly lifetime = new AbortController();
  /** Rotates the order of partitions in fetch requests (see {@link fetchRequest}). */
  private fetchCount = 0;

  constructor(
    private readonly cluster: RawCluster,
    private readonly settings: KafkajsReaderSettings,
  ) {}

  /** Connects to a bootstrap broker, retrying for up to `retryTimeoutMs`; shared by every read. */
  connect(): Promise<void> {
    this.connecting ??= retrying(() => this.cluster.connect(), {
      timeoutMs: this.settings.retryTimeoutMs,
      signal: this.lifetime.signal,
    }).catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    for (const subscription of this.subscriptions) subscription.notify?.();
    this.wake();
    await this.loop;
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting !== undefined) {
      await connecting.catch(() => undefined);
      await this.cluster.disconnect();
    }
  }

  async *read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch> {
    if (!(await this.prepare(topic, partition, from, signal))) return;
    const subscription = newSubscription(topic, partition, from);
    this.subscriptions.add(subscription);
    this.startLoop();
    try {
      while (!signal.aborted && !this.closed) {
        if (subscription.failure !== undefined) throw subscription.failure;
        const batch = dequeue(subscription);
        if (batch !== undefined) {
          this.wake();
          yield batch;
          // The reader is done with it: its weight no longer holds back other partitions' fetches.
          handBack(subscription);
          this.wake();
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = (): void => {
            signal.removeEventListener('abort', done);
            subscription.notify = undefined;
            resolve();
          };
          subscription.notify = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      this.subscriptions.delete(subscription);
    }
  }

  /**
   * Connects (see {@link connect}) and checks that the partition exists, retrying like a fetch. Returns
   * `false` when `signal` aborted (or the reader was closed) meanwhile; throws `TopicNotFoundError` or
   * `PartitionNotFoundError`, or a {@link PartitionReadError} when Kafka fails for good.
   */
  private async prepare(topic: string, partition: number, from: number, signal: AbortSignal): Promise<boolean> {
    const stop = AbortSignal.any([signal, this.lifetime.signal]);
    try {
      await this.connect();
      await retrying(() => this.checkPartition(topic, partition), {
        timeoutMs: this.settings.retryTimeoutMs,
        signal: stop,
        onRetry: (error, failingFor) => this.logRetry(error, failingFor, topic, [partition]),
      });
    } catch (error) {
      if (stop.aborted) return false;
      if (error instanceof GokaError) throw error;
      throw new PartitionReadError(topic, partition, from, { cause: error });
    }
    return !stop.aborted;
  }

  private async checkPartition(topic: string, partition: number): Promise<void> {
    try {
      await this.cluster.addMultipleTargetTopics([topic]);
    } catch (error) {
      if (isUnknownTopic(error)) throw new TopicNotFoundError(topic, { cause: error });
      throw error;
    }
    const leaders = this.cluster.findLeaderForPartitions(topic, [partition]);
    if (Object.keys(leaders).length === 0) throw new PartitionNotFoundError(topic, partition);
  }

  private startLoop(): void {
    this.loop ??= this.run()
      .catch((error: unknown) => this.failAll(error))
      .finally(() => {
        this.loop = undefined;
        if (this.subscriptions.size > 0 && !this.closed) this.startLoop();
      });
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = undefined;
    wake?.();
  }

  /** Waits until {@link wake} is called or `ms` have passed (only a wake when `ms` is infinite). */
  private idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeLoop === done) this.wakeLoop = undefined;
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(0, ms)) : undefined;
      this.wakeLoop = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.closed && this.subscriptions.size > 0) {
      const now = Date.now();
      const wanting = wantingFetch(this.subscriptions, this.budgetBytes());
      const ready = wanting.filter((subscription) => subscription.retryAt <= now);
      if (ready.length === 0) {
        // Nothing due: wait for a reader to take a batch, a new partition, or the next retry.
        await this.idle(Math.min(...wanting.map((subscription) => subscription.retryAt)) - now);
        continue;
      }
      const byLeader = this.groupByLeader(ready);
      await Promise.all([...byLeader].map(([nodeId, subscriptions]) => this.fetchFrom(nodeId, subscriptions)));
    }
  }

  /** The loop itself failed (a bug, not a Kafka error): every partition's read() rejects with it. */
  private failAll(error: unknown): void {
    for (const subscription of this.subscriptions) {
      subscription.failure ??= new PartitionReadError(subscription.topic, subscription.partition, subscription.offset, {
        cause: error,
      });
      subscription.notify?.();
    }
  }

  private groupByLeader(subscriptions: readonly Subscription[]): Map<string, Subscription[]> {
    const byLeader = new Map<string, Subscription[]>();
    for (const subscription of subscriptions) {
      // A partition without a known leader gets an unknown broker id: the failed lookup refreshes metadata.
      const nodeId = this.leaderOf(subscription) ?? '-1';
      let group = byLeader.get(nodeId);
      if (group === undefined) byLeader.set(nodeId, (group = []));
      group.push(subscription);
    }
    return byLeader;
  }

  private leaderOf(subscription: Subscription): string | undefined {
    try {
      return Object.keys(this.cluster.findLeaderForPartitions(subscription.topic, [subscription.partition]))[0];
    } catch {
      return undefined;
    }
  }

  private async fetchFrom(nodeId: string, subscriptions: readonly Subscription[]): Promise<void> {
    try {
      const broker = await this.cluster.findBroker({ nodeId });
      const offsetOf = (topic: string, partition: number): number =>
        subscriptions.find((s) => s.topic === topic && s.partition === partition)?.offset ?? 0;
      const response = await (this.settings.fetch ?? fetchRecords)(broker, this.fetchRequest(subscriptions), offsetOf);
      const delivered: Array<[Subscription, FetchedPartition]> = [];
      /** Failed partitions by error code: each fails (or backs off) alone, the others go on. */
      const failed = new Map<number, Subscription[]>();
      for (const { topicName, partitions } of response.responses) {
        for (const data of partitions) {
          const subscription = subscriptions.find((s) => s.topic === topicName && s.partition === data.partition);
          if (subscription === undefined) continue;
          if (data.errorCode === 0) delivered.push([subscription, data]);
          else failed.set(data.errorCode, [...(failed.get(data.errorCode) ?? []), subscription]);
        }
      }
      // A broker fills a response partition by partition up to its size limit and leaves the rest
      // empty, so an empty partition in a response that carried bytes (records, or batches without
      // visible records, or a cut batch) was maybe only cut off.
      const carriedBytes = delivered.some(
        ([subscription, data]) => data.truncated || data.messages.length > 0 || data.nextOffset > subscription.offset,
      );
      for (const [subscription, data] of delivered) this.deliver(subscription, data, carriedBytes);
      for (const [errorCode, group] of failed) {
        const first = group[0] as Subscription;
        await this.recover(fetchPartitionError(first.topic, first.partition, errorCode), group);
      }
    } catch (error) {
      await this.recover(error, subscriptions);
    }
  }

  private fetchRequest(subscriptions: readonly Subscription[]): FetchRequestOptions {
    const { maxBytesPerPartition, maxWaitMs, isolationLevel } = this.settings;
    return planFetch(subscriptions, { budget: this.budgetBytes(), maxBytesPerPartition, maxWaitMs, isolationLevel, turn: this.fetchCount++ });
  }

  private deliver(subscription: Subscription, data: FetchedPartition, carriedBytes: boolean): void {
    subscription.failingSince = undefined;
    subscription.retryAt = 0;
    if (data.truncated) {
      // The next batch is larger than the bytes asked for: not caught up. Ask for all of it next time
      // (twice as much when the cut left not even the batch's size).
      const needed = neededAfterCut(data, subscription.askedBytes);
      subscription.neededBytes = Math.max(subscription.neededBytes, needed);
      return;
    }
    const highWatermark = this.settings.isolationLevel === 'read_committed' ? data.lastStableOffset : data.highWatermark;
    const batch: ReadBatch = { messages: data.messages, nextOffset: data.nextOffset, highWatermark };
    if (batch.messages.length > 0 || batch.nextOffset > subscription.offset) {
      subscription.offset = batch.nextOffset;
      subscription.caughtUpReported = false;
      subscription.neededBytes = 0;
      this.push(subscription, batch);
    } else if (!subscription.caughtUpReported && !(carriedBytes && batch.nextOffset < batch.highWatermark)) {
      // Nothing new: at the high-water mark, or only records the reader cannot see (compacted away,
      // aborted) lie below it. Reported once, so a recovering table knows it has caught up.
      subscription.caughtUpReported = true;
      this.push(subscription, batch);
    }
  }

  private push(subscription: Subscription, batch: ReadBatch): void {
    enqueue(subscription, batch);
    subscription.notify?.();
  }

  /** The bytes one fetch asks for at most, and the bound of the batches waiting or held over all partitions. */
  private budgetBytes(): number {
    return fetchBudget(this.settings.maxBytes);
  }

  /**
   * A fetch from one broker failed: offsets out of range are reset; otherwise each partition is retried
   * after its backoff (and metadata refreshed), or fails for good when the error is not retriable or it
   * has failed for `retryTimeoutMs`.
   */
  private async recover(error: unknown, subscriptions: readonly Subscription[]): Promise<void> {
    let cause = error;
    if (isOffsetOutOfRange(error)) {
      try {
        await this.resetOffsets(subscriptions);
        return;
      } catch (resetError) {
        cause = resetError;
      }
    }
    const now = Date.now();
    let longest = -1;
    for (const subscription of subscriptions) {
      subscription.failingSince ??= now;
      const failingFor = now - subscription.failingSince;
      if (shouldRetry(cause, failingFor, this.settings.retryTimeoutMs)) {
        subscription.retryAt = now + retryDelay(failingFor);
        longest = Math.max(longest, failingFor);
      } else {
        subscription.failure = new PartitionReadError(subscription.topic, subscription.partition, subscription.offset, {
          cause,
        });
        subscription.notify?.();
      }
    }
    const first = subscriptions[0];
    if (longest < 0 || first === undefined) return;
    this.logRetry(cause, longest, first.topic, subscriptions.map((s) => s.partition));
    await this.cluster.refreshMetadata().catch(() => undefined);
  }

  /** The first failure of a streak is a warning; the retries after it are debug lines. */
  private logRetry(error: unknown, failingFor: number, topic: string, partitions: readonly number[]): void {
    const fields = {
      topic,
      partitions,
      failingForMs: failingFor,
      giveUpAfterMs: this.settings.retryTimeoutMs,
      error: error instanceof Error ? error.message : String(error),
    };
    if (failingFor === 0) this.settings.logger.warn('fetching failed, retrying', fields);
    else this.settings.logger.debug('fetching failed again, retrying', fields);
  }

  /** Moves partitions whose offset left the log to its oldest offset, or to the end when past it. */
  private async resetOffsets(subscriptions: readonly Subscription[]): Promise<void> {
    const topics = [...new Set(subscriptions.map((s) => s.topic))];
    const request = (fromBeginning: boolean) =>
      this.cluster.fetchTopicsOffset(
        topics.map((topic) => ({
          topic,
          fromBeginning,
          partitions: subscriptions.filter((s) => s.topic === topic).map(({ partition }) => ({ partition })),
        })),
      );
    const [oldest, newest] = await Promise.all([request(true), request(false)]);
    const lookup = (result: typeof oldest, s: Subscription): number =>
      Number(result.find((t) => t.topic === s.topic)?.partitions.find((p) => p.partition === s.partition)?.offset ?? 0);
    for (const subscription of subscriptions) {
      const low = lookup(oldest, subscription);
      const high = lookup(newest, subscription);
      if (subscription.offset < low) subscription.offset = low;
      else if (subscription.offset > high) subscription.offset = high;
    }
  }
}
