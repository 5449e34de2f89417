import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * AddPartitionsToTxn (API key 24), version 2: adds topic-partitions to the open transaction before
 * the producer writes to them (transaction protocol v1; under KIP-890's v2 the broker would add them
 * implicitly on Produce v12+). Version 2 is the last classic one that knows PRODUCER_FENCED; 3 is
 * flexible, 4 and later are for brokers only.
 *
 *   AddPartitionsToTxn Request (Version: 2) => transactional_id producer_id producer_epoch [topics]
 *     transactional_id => STRING
 *     producer_id => INT64
 *     producer_epoch => INT16
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => INT32
 *   AddPartitionsToTxn Response (Version: 2) => throttle_time_ms [results]
 *     results => name [partition_index partition_error_code]
 */
export const ADD_PARTITIONS_TO_TXN = { apiKey: 24, apiName: 'AddPartitionsToTxn', version: 2 } as const;

export interface AddPartitionsToTxnRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>;
}

export interface TxnPartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
}

export function encodeAddPartitionsToTxnRequest(request: AddPartitionsToTxnRequest): Buffer {
  const writer = new WireWriter().string(request.transactionalId).int64(request.producerId).int16(request.producerEpoch);
  writer.array(request.topics, ({ topic, partitions }) => {
    writer.string(topic).array(partitions, (partition) => writer.int32(partition));
  });
  return writer.build();
}

export function decodeAddPartitionsToTxnResponse(body: Buffer): TxnPartitionResult[] {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  const results: TxnPartitionResult[] = [];
  reader.array(() => {
    const topic = reader.string();
    reader.array(() => {
      const partition = reader.int32();
      results.push({ topic, partition, errorCode: reader.int16() });
    });
  });
  return results;
}
