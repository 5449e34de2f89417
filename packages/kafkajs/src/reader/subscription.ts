import type { ReadBatch } from '@goka/core/kafka';

/**
 * Batches a partition may have waiting for its reader before the fetcher skips it (backpressure). A
 * partition fetches ahead (a second batch, or a first while its reader still holds one) only while
 * the batches waiting or held over all partitions weigh less than the reader's budget, so many
 * partitions do not multiply the memory.
 */
const MAX_QUEUED_BATCHES = 2;
/** What a record weighs in memory besides its key and value (its objects), for the queued-bytes bound. */
const RECORD_OVERHEAD_BYTES = 64;

/** One partition being read: where the next fetch starts and what waits for the reader. */
export interface Subscription {
  readonly topic: string;
  readonly partition: number;
  offset: number;
  readonly queue: ReadBatch[];
  /** The weight of each batch in {@link queue} (keys, values and a per-record overhead). */
  readonly queueBytes: number[];
  /**
   * The weight of the batch handed to the partition's reader and not handed back yet (0: none). A
   * reader that waits (for room in a processor's in-flight budget, say) keeps its batch in memory.
   */
  heldBytes: number;
  caughtUpReported: boolean;
  /**
   * Bytes the partition's next batch needs when the last fetch cut it (0: its equal share will do).
   * It is asked for at least this much until a fetch returns a whole batch.
   */
  neededBytes: number;
  /** Bytes the last fetch request asked for this partition. */
  askedBytes: number;
  /** When the partition's fetches started failing (`undefined` while they succeed). */
  failingSince: number | undefined;
  /** Not fetched again before this time (a failing partition's backoff); 0 when due. */
  retryAt: number;
  failure: Error | undefined;
  notify: (() => void) | undefined;
}

export function newSubscription(topic: string, partition: number, from: number): Subscription {
  return {
    topic,
    partition,
    offset: from,
    queue: [],
    queueBytes: [],
    heldBytes: 0,
    caughtUpReported: false,
    neededBytes: 0,
    askedBytes: 0,
    failingSince: undefined,
    retryAt: 0,
    failure: undefined,
    notify: undefined,
  };
}

/** Queues a fetched batch for the partition's reader, with its weight. */
export function enqueue(subscription: Subscription, batch: ReadBatch): void {
  let bytes = 0;
  const { messages } = batch;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as ReadBatch['messages'][number];
    bytes += RECORD_OVERHEAD_BYTES + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  }
  subscription.queue.push(batch);
  subscription.queueBytes.push(bytes);
}

/**
 * The oldest batch waiting for the partition's reader, taken from the queue; its weight counts as held
 * until {@link handBack}.
 */
export function dequeue(subscription: Subscription): ReadBatch | undefined {
  subscription.heldBytes = subscription.queueBytes.shift() ?? 0;
  return subscription.queue.shift();
}

/** The partition's reader is done with the batch it took last. */
export function handBack(subscription: Subscription): void {
  subscription.heldBytes = 0;
}

/**
 * The partitions to fetch now: those without a failure that have nothing, neither queued nor held by
 * their reader, or, while the batches queued and held over all of them weigh less than `budget` bytes,
 * whose queue is not yet full.
 */
export function wantingFetch(subscriptions: Iterable<Subscription>, budget: number): Subscription[] {
  const all = [...subscriptions];
  let queued = 0;
  for (const subscription of all) {
    queued += subscription.heldBytes;
    for (const bytes of subscription.queueBytes) queued += bytes;
  }
  const fetchAhead = queued < budget;
  return all.filter(
    (subscription) =>
      subscription.failure === undefined &&
      ((subscription.queue.length === 0 && subscription.heldBytes === 0) ||
        (fetchAhead && subscription.queue.length < MAX_QUEUED_BATCHES)),
  );
}
