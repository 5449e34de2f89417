import { CodecError } from '@goka/core';

function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function writeVarint(value: number, out: number[]): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/**
 * The message-index list of Confluent's Protobuf wire format: the path of the record's message type in
 * its .proto file (index among the file's top-level messages, then among the nested ones), as a
 * zigzag-varint count followed by zigzag-varint indexes. `[0]`, the first top-level message, is
 * written as the single byte 0.
 */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  writeVarint(zigzag(indexes.length), out);
  for (const index of indexes) writeVarint(zigzag(index), out);
  return Buffer.from(out);
}

function readVarint(bytes: Buffer, offset: number): { value: number; offset: number } {
  let result = 0;
  let shift = 0;
  let at = offset;
  for (;;) {
    if (at >= bytes.length || shift > 28) {
      throw new CodecError({ codec: 'protobuf', operation: 'decode', reason: 'truncated or overlong message-index varint' });
    }
    const byte = bytes[at] as number;
    at += 1;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  const unsigned = result >>> 0;
  return { value: (unsigned >>> 1) ^ -(unsigned & 1), offset: at };
}

/** Reads the message-index list at `offset`; returns it and where the payload starts. */
export function decodeMessageIndexes(bytes: Buffer, offset: number): { indexes: number[]; offset: number } {
  const count = readVarint(bytes, offset);
  if (count.value === 0) return { indexes: [0], offset: count.offset };
  if (count.value < 0 || count.value > 64) {
    throw new CodecError({ codec: 'protobuf', operation: 'decode', reason: `message-index count ${count.value} is not valid` });
  }
  const indexes: number[] = [];
  let at = count.offset;
  for (let i = 0; i < count.value; i++) {
    const index = readVarint(bytes, at);
    indexes.push(index.value);
    at = index.offset;
  }
  return { indexes, offset: at };
}
