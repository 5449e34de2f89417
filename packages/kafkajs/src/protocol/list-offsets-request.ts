import { kafkaErrorFromCode, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawCluster } from '../kafkajs-internals.js';
import { WireReader, WireWriter } from './wire.js';
import { sleep } from '../util.js';

/**
 * ListOffsets (API key 2), versions 2 to 5 (classic encoding; 2 added the isolation level, 4 the
 * leader epochs): the oldest offset (timestamp -2) or the end (timestamp -1) of partitions. With
 * isolation level 1 (read_committed) the end is the last stable offset, with 0 the high-water mark.
 * kafkajs' admin always asks with isolation level 1, which is why the admin lists offsets itself.
 *
 *   ListOffsets Request (Version: 2-5) => replica_id isolation_level [topics]
 *     topics => name [partitions]
 *       partitions => partition_index current_leader_epoch(4+) timestamp
 *   ListOffsets Response (Version: 2-5) => throttle_time_ms [topics]
 *     topics => name [partitions]
 *       partitions => partition_index error_code timestamp offset leader_epoch(4+)
 */
const LIST_OFFSETS_API_KEY = 2;
const MIN_VERSION = 2;
const MAX_VERSION = 5;
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface ListOffsetsRequest {
  readonly isolationLevel: number;
  readonly timestamp: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;
}

export interface ListedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly offset: number;
}

export function encodeListOffsetsRequest(version: number, request: ListOffsetsRequest): Buffer {
  const writer = new WireWriter().int32(-1).int8(request.isolationLevel);
  writer.array(request.topics, ({ topic, partitions }) => {
    writer.string(topic).array(partitions, (partition) => {
      writer.int32(partition);
      if (version >= 4) writer.int32(-1); // current leader epoch: unknown
      writer.int64(request.timestamp);
    });
  });
  return writer.build();
}

export function decodeListOffsetsResponse(version: number, body: Buffer): ListedOffset[] {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  const listed: ListedOffset[] = [];
  reader.array(() => {
    const topic = reader.string();
    reader.array(() => {
      const partition = reader.int32();
      const errorCode = reader.int16();
      reader.int64(); // timestamp
      const offset = reader.int64();
      if (version >= 4) reader.int32(); // leader epoch
      listed.push({ topic, partition, errorCode, offset });
    });
  });
  return listed;
}

/**
 * The offsets of `partitions` of `topic` at `timestamp` (earliest or latest) from their leaders,
 * retrying retriable errors (a leader moving, a partition not ready) with fresh metadata a few times.
 */
export async function listOffsets(
  cluster: RawCluster,
  topic: string,
  partitions: readonly number[],
  timestamp: number,
  isolationLevel: number,
): Promise<Map<number, number>> {
  const offsets = new Map<number, number>();
  let pending = [...partitions];
  for (let attempt = 0; ; attempt++) {
    await cluster.addMultipleTargetTopics([topic]);
    const leaders = cluster.findLeaderForPartitions(topic, pending);
    const failed: Error[] = [];
    const retry: number[] = [];
    await Promise.all(
      Object.entries(leaders).map(async ([nodeId, ids]) => {
        const broker = await cluster.findBroker({ nodeId });
        const version = negotiatedVersion(broker, LIST_OFFSETS_API_KEY, MIN_VERSION, MAX_VERSION);
        if (version === undefined) throw new Error(`the broker supports no ListOffsets version from ${MIN_VERSION} to ${MAX_VERSION}`);
        const listed = await sendRawRequest(broker, {
          apiKey: LIST_OFFSETS_API_KEY,
          apiVersion: version,
          apiName: 'ListOffsets',
          body: encodeListOffsetsRequest(version, { isolationLevel, timestamp, topics: [{ topic, partitions: ids }] }),
          decode: (payload) => decodeListOffsetsResponse(version, payload),
        });
        for (const { partition, errorCode, offset } of listed) {
          if (errorCode === 0) offsets.set(partition, offset);
          else {
            const error = kafkaErrorFromCode(errorCode);
            if ((error as { retriable?: unknown }).retriable === true) retry.push(partition);
            else failed.push(error);
          }
        }
      }),
    );
    if (failed[0] !== undefined) throw failed[0];
    pending = pending.filter((partition) => !offsets.has(partition));
    if (pending.length === 0) return offsets;
    if (attempt >= 5) throw new Error(`ListOffsets of ${topic} found no leader or offset for partitions ${pending.join(', ')}`);
    await sleep(100 * 2 ** attempt);
    await cluster.refreshMetadata().catch(() => undefined);
  }
}
