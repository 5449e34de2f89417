import type { IsolationLevel } from '@goka/core/kafka';
import type { FetchedPartition, FetchRequestOptions } from '../protocol/fetch-request.js';
import type { Subscription } from './subscription.js';

/** Most bytes one fetch request asks for, under the broker's default `fetch.max.bytes` of 55 MiB. */
const MAX_FETCH_BYTES = 50 * 1024 * 1024;
/** Fewest bytes asked per partition, however many partitions share a request. */
const MIN_PARTITION_BYTES = 64 * 1024;

/** The bytes one fetch asks for at most (`maxBytes`, capped at 50 MiB), also the bound of the batches waiting or held. */
export function fetchBudget(maxBytes: number | undefined): number {
  return Math.min(MAX_FETCH_BYTES, maxBytes ?? MAX_FETCH_BYTES);
}

export interface FetchPlanOptions {
  /** See {@link fetchBudget}. */
  readonly budget: number;
  readonly maxBytesPerPartition: number;
  readonly maxWaitMs: number;
  readonly isolationLevel: IsolationLevel | undefined;
  /** Counts the requests: the partition order rotates by one on each. */
  readonly turn: number;
}

/**
 * One fetch for `subscriptions`: each partition asks for an equal share of the budget (at least 64
 * KiB), or for the size of its next batch when the last fetch cut that batch. The broker gives a batch
 * larger than its partition's share whole only to the first partition with records (and cuts it for
 * the others), so the partitions take turns at the front: the order rotates by one on every request
 * (as Kafka's Java consumer does), and no partition starves behind busy ones. Records each
 * partition's asked bytes on its subscription.
 */
export function planFetch(subscriptions: readonly Subscription[], options: FetchPlanOptions): FetchRequestOptions {
  const total = options.budget;
  const perPartition = Math.max(MIN_PARTITION_BYTES, Math.min(options.maxBytesPerPartition, Math.floor(total / subscriptions.length)));
  const first = options.turn % subscriptions.length;
  const rotated = [...subscriptions.slice(first), ...subscriptions.slice(0, first)];
  const byTopic = new Map<string, Array<{ partition: number; fetchOffset: number; maxBytes: number }>>();
  let requestBytes = 0;
  let largest = 0;
  for (const subscription of rotated) {
    const { topic, partition, offset } = subscription;
    let partitions = byTopic.get(topic);
    if (partitions === undefined) byTopic.set(topic, (partitions = []));
    const maxBytes = Math.max(perPartition, subscription.neededBytes);
    subscription.askedBytes = maxBytes;
    requestBytes += maxBytes;
    largest = Math.max(largest, maxBytes);
    partitions.push({ partition, fetchOffset: offset, maxBytes });
  }
  return {
    maxWaitMs: options.maxWaitMs,
    minBytes: 1,
    // Many partitions ask for more than the budget together: the broker fills the answer in the
    // request's (rotated) order up to it and leaves the rest empty, to be asked again.
    maxBytes: Math.min(requestBytes, Math.max(total, largest)),
    isolationLevel: options.isolationLevel === 'read_committed' ? 1 : 0,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  };
}

/**
 * The bytes a partition asks for after the broker cut its next batch: that batch's size, or twice
 * what it asked for when the cut left not even the batch's size.
 */
export function neededAfterCut(data: FetchedPartition, askedBytes: number): number {
  return data.neededBytes > 0 ? data.neededBytes : Math.min(MAX_FETCH_BYTES, 2 * askedBytes);
}
