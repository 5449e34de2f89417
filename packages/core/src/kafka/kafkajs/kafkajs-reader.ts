import { PartitionNotFoundError, PartitionReadError, TopicNotFoundError } from '../../errors/kafka-error.js';
import type { GokaLogger } from '../../util/logger.js';
import { sleep } from '../../util/sleep.js';
import type { KafkaMessage } from '../message.js';
import type { PartitionReader, ReadBatch } from '../partition-reader.js';
import type { RawCluster, RawFetchPartition, RawFetchRequest } from './kafkajs-internals.js';
import { toKafkaMessage } from './raw-record.js';

/** Batches a partition may have waiting for its reader before the fetcher skips it (backpressure). */
const MAX_QUEUED_BATCHES = 2;
/** First and longest pause between retries of a failing broker. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

export interface KafkajsReaderSettings {
  readonly maxWaitMs: number;
  readonly maxBytesPerPartition: number;
  readonly retryTimeoutMs: number;
  readonly logger: GokaLogger;
}

/** One partition being read: where the next fetch starts and what waits for the reader. */
interface Subscription {
  readonly topic: string;
  readonly partition: number;
  offset: number;
  readonly queue: ReadBatch[];
  caughtUpReported: boolean;
  failingSince: number | undefined;
  failure: Error | undefined;
  notify: (() => void) | undefined;
}

/**
 * {@link PartitionReader} on kafkajs' internal cluster: every partition being read joins one fetch
 * session that sends ONE fetch request per leader broker for all of them (a broker answers requests of
 * a connection in order, so a long-polling fetch per partition would serialize), and hands each
 * partition's records to its reader. Offsets out of range are reset to the oldest offset (or the
 * high-water mark when past it); failing brokers are retried with backoff up to a time limit.
 */
export class KafkajsReader implements PartitionReader {
  private readonly subscriptions = new Set<Subscription>();
  private loop: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private readonly lifetime = new AbortController();

  constructor(
    private readonly cluster: RawCluster,
    private readonly settings: KafkajsReaderSettings,
  ) {}

  connect(): Promise<void> {
    this.connecting ??= this.cluster.connect().catch((error: unknown) => {
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
    if (this.connecting !== undefined) await this.cluster.disconnect();
    this.connecting = undefined;
  }

  async *read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch> {
    await this.connect();
    await this.checkPartition(topic, partition);
    const subscription: Subscription = {
      topic,
      partition,
      offset: from,
      queue: [],
      caughtUpReported: false,
      failingSince: undefined,
      failure: undefined,
      notify: undefined,
    };
    this.subscriptions.add(subscription);
    this.startLoop();
    try {
      while (!signal.aborted && !this.closed) {
        if (subscription.failure !== undefined) throw subscription.failure;
        const batch = subscription.queue.shift();
        if (batch !== undefined) {
          if (subscription.queue.length === MAX_QUEUED_BATCHES - 1) this.wake();
          yield batch;
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
    this.loop ??= this.run().finally(() => {
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

  private async run(): Promise<void> {
    while (!this.closed && this.subscriptions.size > 0) {
      const ready = [...this.subscriptions].filter(
        (subscription) => subscription.failure === undefined && subscription.queue.length < MAX_QUEUED_BATCHES,
      );
      if (ready.length === 0) {
        await new Promise<void>((resolve) => (this.wakeLoop = resolve));
        continue;
      }
      const byLeader = this.groupByLeader(ready);
      await Promise.all([...byLeader].map(([nodeId, subscriptions]) => this.fetchFrom(nodeId, subscriptions)));
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
      const response = await broker.fetch(this.fetchRequest(subscriptions));
      for (const { topicName, partitions } of response.responses) {
        for (const data of partitions) {
          const subscription = subscriptions.find((s) => s.topic === topicName && s.partition === data.partition);
          if (subscription !== undefined) this.deliver(subscription, data);
        }
      }
    } catch (error) {
      await this.recover(error, subscriptions);
    }
  }

  private fetchRequest(subscriptions: readonly Subscription[]): RawFetchRequest {
    const byTopic = new Map<string, Array<{ partition: number; fetchOffset: string; maxBytes: number }>>();
    for (const { topic, partition, offset } of subscriptions) {
      let partitions = byTopic.get(topic);
      if (partitions === undefined) byTopic.set(topic, (partitions = []));
      partitions.push({ partition, fetchOffset: String(offset), maxBytes: this.settings.maxBytesPerPartition });
    }
    return {
      maxWaitTime: this.settings.maxWaitMs,
      minBytes: 1,
      maxBytes: this.settings.maxBytesPerPartition * subscriptions.length,
      isolationLevel: 0,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    };
  }

  private deliver(subscription: Subscription, data: RawFetchPartition): void {
    subscription.failingSince = undefined;
    const highWatermark = Number(data.highWatermark);
    const from = subscription.offset;
    let next = from;
    const messages: KafkaMessage[] = [];
    for (const raw of data.messages) {
      // A fetch returns whole record batches: skip records before the asked offset and control records,
      // but move past the end of every batch seen (compaction can empty a batch's tail).
      const batchEnd = Number(raw.batchContext.firstOffset) + raw.batchContext.lastOffsetDelta + 1;
      if (batchEnd > next) next = batchEnd;
      const offset = Number(raw.offset);
      if (offset < from || raw.isControlRecord) continue;
      messages.push(toKafkaMessage(subscription.topic, subscription.partition, offset, raw));
    }
    if (messages.length > 0 || next > from) {
      subscription.offset = next;
      subscription.caughtUpReported = false;
      this.push(subscription, { messages, nextOffset: next, highWatermark });
    } else if (!subscription.caughtUpReported) {
      subscription.caughtUpReported = true;
      this.push(subscription, { messages, nextOffset: next, highWatermark });
    }
  }

  private push(subscription: Subscription, batch: ReadBatch): void {
    subscription.queue.push(batch);
    subscription.notify?.();
  }

  private async recover(error: unknown, subscriptions: readonly Subscription[]): Promise<void> {
    if (isOffsetOutOfRange(error)) {
      await this.resetOffsets(subscriptions);
      return;
    }
    const now = Date.now();
    for (const subscription of subscriptions) {
      subscription.failingSince ??= now;
      const failingFor = now - subscription.failingSince;
      if (!isRetriable(error) || failingFor >= this.settings.retryTimeoutMs) {
        subscription.failure = new PartitionReadError(subscription.topic, subscription.partition, subscription.offset, {
          cause: error,
        });
        subscription.notify?.();
      }
    }
    const first = subscriptions[0];
    if (first?.failure === undefined && first !== undefined) {
      this.settings.logger.warn('fetching failed, retrying', {
        topic: first.topic,
        partitions: subscriptions.map((s) => s.partition),
        error: error instanceof Error ? error.message : String(error),
      });
      await this.cluster.refreshMetadata().catch(() => undefined);
      const failingFor = now - (first.failingSince ?? now);
      await sleep(Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, failingFor / 2)), this.lifetime.signal);
    }
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

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name) : '';
}

function isOffsetOutOfRange(error: unknown): boolean {
  return errorName(error) === 'KafkaJSOffsetOutOfRange';
}

function isUnknownTopic(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

function isRetriable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = errorName(error);
  return (
    (error as { retriable?: unknown }).retriable === true ||
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSConnectionClosedError' ||
    name === 'KafkaJSRequestTimeoutError' ||
    name === 'KafkaJSBrokerNotFound' ||
    name === 'KafkaJSLockTimeout'
  );
}
