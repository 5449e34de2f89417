import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * AddOffsetsToTxn (API key 25), version 2, sent to the transaction coordinator: the transaction will
 * carry offsets of `groupId` (the coordinator then writes the commit or abort marker into the group's
 * partition of `__consumer_offsets` too). Version 2 is the last classic one that knows PRODUCER_FENCED.
 *
 *   AddOffsetsToTxn Request (Version: 2) => transactional_id producer_id producer_epoch group_id
 *   AddOffsetsToTxn Response (Version: 2) => throttle_time_ms error_code
 */
export const ADD_OFFSETS_TO_TXN = { apiKey: 25, apiName: 'AddOffsetsToTxn', version: 2 } as const;

export interface AddOffsetsToTxnRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly groupId: string;
}

export function encodeAddOffsetsToTxnRequest(request: AddOffsetsToTxnRequest): Buffer {
  return new WireWriter()
    .string(request.transactionalId)
    .int64(request.producerId)
    .int16(request.producerEpoch)
    .string(request.groupId)
    .build();
}

/** The error code of the answer. */
export function decodeAddOffsetsToTxnResponse(body: Buffer): number {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  return reader.int16();
}
