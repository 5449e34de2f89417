import { WireReader, WireWriter } from '../protocol/wire.js';

/**
 * FindCoordinator (API key 10), version 2: which broker coordinates a consumer group (key type 0) or
 * a transactional id (key type 1). Version 2 is the last with a single key and no flexible encoding
 * (3 is flexible, 4 batches keys); every broker from Kafka 2.0 to 4.x supports it.
 *
 *   FindCoordinator Request (Version: 2) => key key_type
 *     key => STRING
 *     key_type => INT8
 *   FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
 */
export const FIND_COORDINATOR = { apiKey: 10, apiName: 'FindCoordinator', version: 2 } as const;

export const COORDINATOR_KEY_TYPE = { group: 0, transaction: 1 } as const;

export interface FindCoordinatorResponse {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export function encodeFindCoordinatorRequest(key: string, keyType: number): Buffer {
  return new WireWriter().string(key).int8(keyType).build();
}

export function decodeFindCoordinatorResponse(body: Buffer): FindCoordinatorResponse {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  const errorCode = reader.int16();
  const errorMessage = reader.nullableString();
  const nodeId = reader.int32();
  const host = reader.string();
  const port = reader.int32();
  return { errorCode, errorMessage, nodeId, host, port };
}
