import { WireReader, WireWriter } from '../protocol/wire.js';
import type { TxnPartitionResult } from './add-partitions-to-txn-request.js';

/**
 * TxnOffsetCommit (API key 28), version 3, sent to the GROUP coordinator: the consumer group's
 * offsets inside the transaction, with the member's generation and member id (KIP-447), so that the
 * coordinator refuses a member whose generation is over (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
 * FENCED_INSTANCE_ID). Version 3 is the first with those fields and is flexible (compact strings and
 * arrays, tagged fields, and the request header v2: see {@link WireWriter.headerTags}). Version 5 is
 * for KIP-890's transaction v2 only.
 *
 *   TxnOffsetCommit Request (Version: 3) => transactional_id group_id producer_id producer_epoch
 *       generation_id member_id group_instance_id [topics] TAG_BUFFER
 *     transactional_id, group_id, member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     topics => name [partitions] TAG_BUFFER
 *       partitions => partition_index committed_offset committed_leader_epoch committed_metadata TAG_BUFFER
 *         committed_metadata => COMPACT_NULLABLE_STRING
 *   TxnOffsetCommit Response (Version: 3) => throttle_time_ms [topics] TAG_BUFFER
 *     topics => name [partitions] TAG_BUFFER
 *       partitions => partition_index error_code TAG_BUFFER
 */
export const TXN_OFFSET_COMMIT = { apiKey: 28, apiName: 'TxnOffsetCommit', version: 3 } as const;

export interface TxnOffsetCommitRequest {
  readonly transactionalId: string;
  readonly groupId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: ReadonlyArray<{
    readonly topic: string;
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: number }>;
  }>;
}

export function encodeTxnOffsetCommitRequest(request: TxnOffsetCommitRequest): Buffer {
  const writer = new WireWriter()
    .headerTags()
    .compactString(request.transactionalId)
    .compactString(request.groupId)
    .int64(request.producerId)
    .int16(request.producerEpoch)
    .int32(request.generationId)
    .compactString(request.memberId)
    .compactNullableString(request.groupInstanceId);
  writer.compactArray(request.topics, ({ topic, partitions }) => {
    writer.compactString(topic);
    writer.compactArray(partitions, ({ partition, offset }) => {
      writer
        .int32(partition)
        .int64(offset)
        .int32(-1) // committed leader epoch: unknown
        .compactString('') // metadata: empty, as Goka's commits
        .tags();
    });
    writer.tags();
  });
  return writer.tags().build();
}

export function decodeTxnOffsetCommitResponse(body: Buffer): TxnPartitionResult[] {
  const reader = new WireReader(body);
  reader.tags(); // the response header v1's tagged fields
  reader.int32(); // throttle time
  const results: TxnPartitionResult[] = [];
  reader.compactArray(() => {
    const topic = reader.compactString();
    reader.compactArray(() => {
      const partition = reader.int32();
      results.push({ topic, partition, errorCode: reader.int16() });
      reader.tags();
    });
    reader.tags();
  });
  reader.tags();
  return results;
}
