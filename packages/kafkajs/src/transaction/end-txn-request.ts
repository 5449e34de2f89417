import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * EndTxn (API key 26), version 2, sent to the transaction coordinator: commits or aborts the open
 * transaction (the coordinator writes the markers into every partition of it). Version 2 is the last
 * classic one that knows PRODUCER_FENCED; version 5 would be KIP-890's transaction v2, which bumps the
 * epoch on every transaction (we stay on v1: the epoch holds across transactions).
 *
 *   EndTxn Request (Version: 2) => transactional_id producer_id producer_epoch committed
 *     committed => BOOLEAN
 *   EndTxn Response (Version: 2) => throttle_time_ms error_code
 */
export const END_TXN = { apiKey: 26, apiName: 'EndTxn', version: 2 } as const;

export interface EndTxnRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly committed: boolean;
}

export function encodeEndTxnRequest(request: EndTxnRequest): Buffer {
  return new WireWriter()
    .string(request.transactionalId)
    .int64(request.producerId)
    .int16(request.producerEpoch)
    .bool(request.committed)
    .build();
}

/** The error code of the answer. */
export function decodeEndTxnResponse(body: Buffer): number {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  return reader.int16();
}
