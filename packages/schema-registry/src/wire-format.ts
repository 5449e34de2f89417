import { CodecError } from '@goka/core';

/** The first byte of every record in the Confluent wire format. */
export const MAGIC_BYTE = 0;
/** Magic byte and 4-byte big-endian schema id. */
export const HEADER_SIZE = 5;

/** `0`, the schema id (4 bytes, big-endian), then the parts (Protobuf's message indexes, the payload). */
export function frame(schemaId: number, ...parts: readonly Uint8Array[]): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, ...parts]);
}

/** The schema id of framed bytes; throws a CodecError for bytes not in the wire format. */
export function schemaIdOf(bytes: Buffer, codec: string): number {
  if (bytes.length < HEADER_SIZE) {
    throw new CodecError({ codec, operation: 'decode', reason: `${bytes.length} bytes are too short for the Confluent wire format (magic byte and 4-byte schema id)` });
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new CodecError({ codec, operation: 'decode', reason: `unknown magic byte ${bytes[0]} (the Confluent wire format starts with 0)` });
  }
  return bytes.readUInt32BE(1);
}
