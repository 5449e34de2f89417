import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * InitProducerId (API key 22), version 3 (flexible), sent to the transaction coordinator of the
 * transactional id. Without a producer id (-1, -1: a producer connecting) it registers the id with its
 * transaction timeout and answers its producer id with a bumped epoch, which fences every producer
 * that used the id before (their open transaction is aborted). With the producer's current id and
 * epoch (KIP-360) it bumps the epoch only when that is still the current one (a producer starting over
 * after a failed transaction), and answers PRODUCER_FENCED when another producer took the id over
 * meanwhile: a zombie cannot fence the instance that replaced it.
 *
 *   InitProducerId Request (Version: 3) => transactional_id transaction_timeout_ms producer_id producer_epoch TAG_BUFFER
 *     transactional_id => COMPACT_NULLABLE_STRING
 *     transaction_timeout_ms => INT32
 *     producer_id => INT64
 *     producer_epoch => INT16
 *   InitProducerId Response (Version: 3) => throttle_time_ms error_code producer_id producer_epoch TAG_BUFFER
 */
export const INIT_PRODUCER_ID = { apiKey: 22, apiName: 'InitProducerId', version: 3 } as const;

export interface InitProducerIdRequest {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  /** The producer's current id and epoch when it starts over (KIP-360); -1 when it connects. */
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface InitProducerIdResponse {
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export function encodeInitProducerIdRequest(request: InitProducerIdRequest): Buffer {
  return new WireWriter()
    .headerTags()
    .compactNullableString(request.transactionalId)
    .int32(request.transactionTimeoutMs)
    .int64(request.producerId)
    .int16(request.producerEpoch)
    .tags()
    .build();
}

export function decodeInitProducerIdResponse(body: Buffer): InitProducerIdResponse {
  const reader = new WireReader(body);
  reader.tags(); // the response header v1's tagged fields
  reader.int32(); // throttle time
  const errorCode = reader.int16();
  const producerId = reader.int64();
  const producerEpoch = reader.int16();
  reader.tags();
  return { errorCode, producerId, producerEpoch };
}
