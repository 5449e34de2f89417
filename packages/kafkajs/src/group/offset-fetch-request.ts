import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * OffsetFetch (API key 9), version 7, sent to the group coordinator: a group's committed offsets of
 * some partitions. Version 7 is the first with `require_stable` (KIP-447): with it set, the
 * coordinator answers UNSTABLE_OFFSET_COMMIT (88) for a partition that has a transactional offset
 * commit still pending (TxnOffsetCommit done, the transaction's markers not yet written), instead of
 * the older committed offset; the caller asks again until the offset is stable. Version 8 and later
 * fetch several groups at once (and 10 names topics by id), which one member does not need; Kafka 4.4
 * supports versions 1 to 10. Versions 6+ are flexible (compact strings and arrays, tagged fields, the
 * request header v2: see {@link WireWriter.headerTags}).
 *
 *   OffsetFetch Request (Version: 7) => group_id [topics] require_stable TAG_BUFFER
 *     group_id => COMPACT_STRING
 *     topics => name [partition_indexes] TAG_BUFFER      (COMPACT_NULLABLE_ARRAY: null is every partition)
 *       name => COMPACT_STRING
 *       partition_indexes => INT32
 *     require_stable => BOOLEAN
 *   OffsetFetch Response (Version: 7) => throttle_time_ms [topics] error_code TAG_BUFFER
 *     topics => name [partitions] TAG_BUFFER
 *       partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
 *         committed_offset => INT64 (-1: nothing committed)
 *         committed_leader_epoch => INT32
 *         metadata => COMPACT_NULLABLE_STRING
 *     error_code => INT16 (the group's: coordinator moved or loading, not authorized, ...)
 */
export const OFFSET_FETCH = { apiKey: 9, apiName: 'OffsetFetch', version: 7 } as const;

/** Kafka's error code UNSTABLE_OFFSET_COMMIT: a transactional offset commit of the partition is pending. */
export const UNSTABLE_OFFSET_COMMIT = 88;

export interface OffsetFetchRequest {
  readonly groupId: string;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;
  /** KIP-447: answer UNSTABLE_OFFSET_COMMIT rather than an offset a pending transaction is about to replace. */
  readonly requireStable: boolean;
}

export interface OffsetFetchPartition {
  readonly partition: number;
  /** The committed next offset; -1 when the group committed nothing for the partition. */
  readonly offset: number;
  readonly errorCode: number;
}

export interface OffsetFetchResponse {
  /** The group's error code (0: none). */
  readonly errorCode: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly OffsetFetchPartition[] }>;
}

export function encodeOffsetFetchRequest(request: OffsetFetchRequest): Buffer {
  const writer = new WireWriter().headerTags().compactString(request.groupId);
  writer.compactArray(request.topics, ({ topic, partitions }) => {
    writer.compactString(topic);
    writer.compactArray(partitions, (partition) => writer.int32(partition));
    writer.tags();
  });
  return writer.bool(request.requireStable).tags().build();
}

export function decodeOffsetFetchResponse(body: Buffer): OffsetFetchResponse {
  const reader = new WireReader(body);
  reader.tags(); // the response header v1's tagged fields
  reader.int32(); // throttle time
  const topics = reader.compactArray(() => {
    const topic = reader.compactString();
    const partitions = reader.compactArray((): OffsetFetchPartition => {
      const partition = reader.int32();
      const offset = reader.int64();
      reader.int32(); // committed leader epoch
      reader.compactNullableString(); // metadata
      const errorCode = reader.int16();
      reader.tags();
      return { partition, offset, errorCode };
    });
    reader.tags();
    return { topic, partitions };
  });
  const errorCode = reader.int16();
  reader.tags();
  return { errorCode, topics };
}
