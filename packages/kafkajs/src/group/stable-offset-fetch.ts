import { sleep } from '../util.js';
import { kafkaErrorFromCode, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawBroker } from '../kafkajs-internals.js';
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest, OFFSET_FETCH, UNSTABLE_OFFSET_COMMIT } from './offset-fetch-request.js';
import type { OffsetFetchResponse } from './offset-fetch-request.js';

/** The first pause before asking again for offsets a pending transaction holds, ms; doubles up to {@link UNSTABLE_MAX_BACKOFF_MS}. */
export const UNSTABLE_FIRST_BACKOFF_MS = 20;
export const UNSTABLE_MAX_BACKOFF_MS = 250;

export interface StableOffsetFetchOptions {
  /** Ends the wait for unstable offsets: the fetch rejects with the last UNSTABLE_OFFSET_COMMIT error. */
  readonly signal?: AbortSignal | undefined;
  /** Called once per fetch when the coordinator first answers UNSTABLE_OFFSET_COMMIT, with the partitions held. */
  readonly onUnstable?: ((partitions: ReadonlyArray<{ topic: string; partition: number }>) => void) | undefined;
}

/** A partition's committed next offset (partitions without a commit are left out). */
export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Whether `broker` (a connected group coordinator) speaks OffsetFetch version 7, the first with require_stable. */
export function supportsStableOffsetFetch(broker: RawBroker): boolean {
  return negotiatedVersion(broker, OFFSET_FETCH.apiKey, OFFSET_FETCH.version, OFFSET_FETCH.version) !== undefined;
}

/**
 * The group's committed offsets of the partitions, with OffsetFetch v7 and require_stable (KIP-447):
 * while a transaction that commits offsets of one of the partitions is pending (its markers not yet
 * written to __consumer_offsets, e.g. right after the previous owner's EndTxn answered), the
 * coordinator answers UNSTABLE_OFFSET_COMMIT and this asks again after a short backoff (20 ms doubling
 * up to 250 ms) until every offset is stable or `signal` aborts. Without it a new owner would read the
 * offset before the transaction and process its records again. A transaction left open ends at the
 * latest with its transaction timeout (the coordinator aborts it), so the wait is bounded.
 *
 * Any other error code rejects with kafkajs' error of the code (its `type` and `retriable` flag, as
 * kafkajs' own offsetFetch throws), for the caller's coordinator handling: the group's error first,
 * then the first partition's.
 */
export async function fetchStableOffsets(
  broker: RawBroker,
  groupId: string,
  partitions: ReadonlyMap<string, readonly number[]>,
  options: StableOffsetFetchOptions = {},
): Promise<CommittedOffset[]> {
  const body = encodeOffsetFetchRequest({
    groupId,
    topics: [...partitions].map(([topic, ids]) => ({ topic, partitions: ids })),
    requireStable: true,
  });
  let reported = false;
  for (let attempt = 0; ; attempt++) {
    const answer = await sendRawRequest(broker, {
      apiKey: OFFSET_FETCH.apiKey,
      apiVersion: OFFSET_FETCH.version,
      apiName: OFFSET_FETCH.apiName,
      body,
      decode: decodeOffsetFetchResponse,
    });
    const unstable = checkedUnstable(answer);
    if (unstable.length === 0) return committedOf(answer);
    if (!reported) {
      reported = true;
      options.onUnstable?.(unstable);
    }
    if (options.signal?.aborted !== true) {
      await sleep(Math.min(UNSTABLE_MAX_BACKOFF_MS, UNSTABLE_FIRST_BACKOFF_MS * 2 ** attempt), options.signal);
    }
    if (options.signal?.aborted === true) throw kafkaErrorFromCode(UNSTABLE_OFFSET_COMMIT);
  }
}

/** The partitions answered UNSTABLE_OFFSET_COMMIT; throws the group's or a partition's other error. */
function checkedUnstable(answer: OffsetFetchResponse): Array<{ topic: string; partition: number }> {
  if (answer.errorCode !== 0) throw kafkaErrorFromCode(answer.errorCode);
  const unstable: Array<{ topic: string; partition: number }> = [];
  for (const { topic, partitions } of answer.topics) {
    for (const { partition, errorCode } of partitions) {
      if (errorCode === UNSTABLE_OFFSET_COMMIT) unstable.push({ topic, partition });
      else if (errorCode !== 0) throw kafkaErrorFromCode(errorCode);
    }
  }
  return unstable;
}

function committedOf(answer: OffsetFetchResponse): CommittedOffset[] {
  const committed: CommittedOffset[] = [];
  for (const { topic, partitions } of answer.topics) {
    for (const { partition, offset } of partitions) {
      if (offset >= 0) committed.push({ topic, partition, offset });
    }
  }
  return committed;
}
