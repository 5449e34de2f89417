import type { CompressionType, OutgoingMessage } from '@goka/core/kafka';
import { batchCodec } from '../compression/batch-compression.js';
import type { BatchCodec } from '../compression/batch-codec.js';
import { crc32c } from './crc32c.js';
import type { BatchSequence } from '../producer/producer-sequences.js';

/**
 * The bytes of a Produce request (versions 3 to 7 share one layout) and the fields of its response,
 * encoded directly into one buffer per request: each partition's records become one record batch
 * (magic 2, with the producer id and sequence of an idempotent producer), its records section
 * compressed as a whole when a codec is given (the codec's number in the batch attributes, the
 * CRC-32C over the compressed bytes). kafkajs' own encoder allocates a 512-byte buffer and several
 * small ones per record, which made encoding and the garbage collection after it the largest cost of
 * a processor's sends.
 */

/** One partition's records of a request, in send order. */
export interface ProducePartitionData {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly OutgoingMessage[];
  /** An idempotent producer's id, epoch and first sequence number; absent: no producer id. */
  readonly sequence?: BatchSequence | undefined;
}

/** A partition's answer: `errorCode` 0 and the offset of its first record, or a Kafka error code. */
export interface ProducePartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly baseOffset: number;
}

/** Bytes of a record batch before its records (offset … record count). */
const BATCH_HEADER_BYTES = 61;
/** Where the CRC-covered part of a batch starts (the attributes) relative to the batch start. */
const CRC_START = 21;
/** Where the CRC field sits relative to the batch start. */
const CRC_OFFSET = 17;
/** The batch attribute bit of a transactional producer's batch. */
const TRANSACTIONAL_FLAG = 0x10;

/** Bytes of `value` as an unsigned varint. */
function uvarintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Zig-zag encoding of a safe integer (Kafka's signed varint and varlong). */
const zigzag = (value: number): number => (value >= 0 ? value * 2 : -value * 2 - 1);

const varintSize = (value: number): number => uvarintSize(zigzag(value));

/** Bytes of a byte string with a signed-varint length (`null`: length -1). */
const varBytesSize = (length: number | undefined): number => (length === undefined ? 1 : varintSize(length) + length);

/**
 * A header value as it may arrive at runtime: the public type says `Buffer`, but a fetched record's
 * header can be `null` (Kafka allows a null value and our decoder keeps it, so `emit(…, { headers:
 * ctx.headers })` passes it on), and JavaScript callers used to kafkajs pass strings (written as UTF-8).
 * `undefined` leaves the header out.
 */
type HeaderValue = Uint8Array | string | null | undefined;

/** The value of a header of the record's own (not inherited) names; the encoding iterates only those. */
function headerValue(headers: NonNullable<OutgoingMessage['headers']>, name: string): HeaderValue {
  return Object.hasOwn(headers, name) ? (headers[name] as HeaderValue) : undefined;
}

/** Bytes of a header value (`null`: length -1). */
function headerValueSize(value: Uint8Array | string | null): number {
  if (value === null) return 1;
  return varBytesSize(typeof value === 'string' ? Buffer.byteLength(value) : value.length);
}

function headersSize(headers: OutgoingMessage['headers']): number {
  if (headers === undefined) return 1;
  let count = 0;
  let size = 0;
  for (const name in headers) {
    const value = headerValue(headers, name);
    if (value === undefined) continue;
    count++;
    size += varBytesSize(Buffer.byteLength(name)) + headerValueSize(value);
  }
  return varintSize(count) + size;
}

/** Size of a record's body (everything after its length varint). */
function recordBodySize(record: OutgoingMessage, timestampDelta: number, offsetDelta: number): number {
  return (
    1 + // attributes
    varintSize(timestampDelta) +
    varintSize(offsetDelta) +
    varBytesSize(record.key.length) +
    varBytesSize(record.value === null ? undefined : record.value.length) +
    headersSize(record.headers)
  );
}

/** Writes into a pre-sized buffer. */
class Writer {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  int8(value: number): void {
    this.buffer[this.offset++] = value & 0xff;
  }

  int16(value: number): void {
    this.buffer.writeInt16BE(value, this.offset);
    this.offset += 2;
  }

  int32(value: number): void {
    this.buffer.writeInt32BE(value, this.offset);
    this.offset += 4;
  }

  int64(value: number): void {
    this.buffer.writeBigInt64BE(BigInt(value), this.offset);
    this.offset += 8;
  }

  uvarint(value: number): void {
    while (value >= 0x80) {
      this.buffer[this.offset++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.offset++] = value;
  }

  varint(value: number): void {
    this.uvarint(zigzag(value));
  }

  bytes(value: Uint8Array): void {
    this.buffer.set(value, this.offset);
    this.offset += value.length;
  }

  /** A byte string with a signed-varint length; `null` is length -1. */
  varBytes(value: Uint8Array | null): void {
    if (value === null) {
      this.varint(-1);
      return;
    }
    this.varint(value.length);
    this.bytes(value);
  }

  /** A string as UTF-8 bytes with a signed-varint length. */
  varString(value: string): void {
    const length = Buffer.byteLength(value);
    this.varint(length);
    this.buffer.write(value, this.offset, length, 'utf8');
    this.offset += length;
  }

  /** A header value (see {@link HeaderValue}; not `undefined`). */
  headerValue(value: Uint8Array | string | null): void {
    if (typeof value === 'string') this.varString(value);
    else this.varBytes(value);
  }

  /** A STRING (int16 length, UTF-8). */
  string(value: string): void {
    const length = Buffer.byteLength(value);
    this.int16(length);
    this.buffer.write(value, this.offset, length, 'utf8');
    this.offset += length;
  }
}

interface PlannedPartition {
  readonly data: ProducePartitionData;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly now: number;
  /** Body size of each record. */
  readonly bodySizes: Int32Array;
  readonly batchBytes: number;
  /** Kafka's codec number of the batch attributes (0: none). */
  readonly codecId: number;
  /** The compressed records section, when compressed. */
  readonly compressed: Buffer | undefined;
}

function plan(data: ProducePartitionData, now: number, codec: BatchCodec | undefined): PlannedPartition {
  let firstTimestamp = Number.POSITIVE_INFINITY;
  let maxTimestamp = Number.NEGATIVE_INFINITY;
  const input = data.records;
  for (let i = 0; i < input.length; i++) {
    const timestamp = (input[i] as OutgoingMessage).timestamp ?? now;
    if (timestamp < firstTimestamp) firstTimestamp = timestamp;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
  }
  const bodySizes = new Int32Array(data.records.length);
  let recordsBytes = 0;
  data.records.forEach((record, index) => {
    const body = recordBodySize(record, (record.timestamp ?? now) - firstTimestamp, index);
    bodySizes[index] = body;
    recordsBytes += varintSize(body) + body;
  });
  const planned = { data, firstTimestamp, maxTimestamp, now, bodySizes, batchBytes: BATCH_HEADER_BYTES + recordsBytes, codecId: 0, compressed: undefined };
  if (codec === undefined) return planned;
  const records = new Writer(Buffer.allocUnsafe(recordsBytes));
  writeRecords(records, planned);
  if (records.offset !== recordsBytes) throw new Error(`record encoding wrote ${records.offset} bytes, expected ${recordsBytes}`);
  const compressed = codec.compress(records.buffer);
  return { ...planned, batchBytes: BATCH_HEADER_BYTES + compressed.length, codecId: codec.id, compressed };
}

/** Size of one partition's record batch in a request, for splitting large sends. */
export function recordBatchBytes(records: readonly OutgoingMessage[]): number {
  let bytes = BATCH_HEADER_BYTES;
  records.forEach((record, index) => {
    const body = recordBodySize(record, 0, index) + 9; // a timestamp delta takes at most 9 more bytes
    bytes += varintSize(body) + body;
  });
  return bytes;
}

function writeRecordBatch(writer: Writer, planned: PlannedPartition, transactional: boolean): void {
  const { records } = planned.data;
  const start = writer.offset;
  writer.int64(0); // base offset (the broker assigns offsets)
  writer.int32(planned.batchBytes - 12); // batch length: the bytes after this field
  writer.int32(-1); // partition leader epoch (set by the broker)
  writer.int8(2); // magic
  writer.int32(0); // CRC, filled in below
  writer.int16(planned.codecId | (transactional ? TRANSACTIONAL_FLAG : 0)); // attributes: the codec, CreateTime, transactional or not
  writer.int32(records.length - 1); // last offset delta
  writer.int64(planned.firstTimestamp);
  writer.int64(planned.maxTimestamp);
  const { sequence } = planned.data;
  writer.int64(sequence?.producerId ?? -1); // producer id (-1: none)
  writer.int16(sequence?.producerEpoch ?? -1);
  writer.int32(sequence?.baseSequence ?? -1);
  writer.int32(records.length);
  if (planned.compressed === undefined) writeRecords(writer, planned);
  else writer.bytes(planned.compressed);
  writer.buffer.writeUInt32BE(crc32c(writer.buffer, start + CRC_START, writer.offset), start + CRC_OFFSET);
}

/** The records section of a batch (what a codec compresses). */
function writeRecords(writer: Writer, planned: PlannedPartition): void {
  const { records } = planned.data;
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as OutgoingMessage;
    writer.varint(planned.bodySizes[index] as number);
    writer.int8(0); // record attributes
    writer.varint((record.timestamp ?? planned.now) - planned.firstTimestamp);
    writer.varint(index);
    writer.varBytes(record.key);
    writer.varBytes(record.value);
    const { headers } = record;
    if (headers === undefined) {
      writer.varint(0);
      continue;
    }
    let count = 0;
    for (const name in headers) if (headerValue(headers, name) !== undefined) count++;
    writer.varint(count);
    for (const name in headers) {
      const value = headerValue(headers, name);
      if (value === undefined) continue;
      writer.varString(name);
      writer.headerValue(value);
    }
  }
}

/**
 * The body of a Produce request (version 3 to 7; without the request header) for `partitions`, each
 * a distinct topic-partition. Records without a timestamp get `now`; each batch is compressed with
 * `compression` (default none). With a `transactionalId` (a transactional producer's write; every
 * partition carries its producer id and sequence) the batches are marked transactional.
 */
export function encodeProduceRequest(options: {
  readonly acks: number;
  readonly timeoutMs: number;
  readonly partitions: readonly ProducePartitionData[];
  readonly now?: number;
  readonly compression?: CompressionType;
  readonly transactionalId?: string | undefined;
}): Buffer {
  const now = options.now ?? Date.now();
  const codec = batchCodec(options.compression ?? 'none');
  const byTopic = new Map<string, PlannedPartition[]>();
  for (const data of options.partitions) {
    if (data.records.length === 0) continue;
    let planned = byTopic.get(data.topic);
    if (planned === undefined) byTopic.set(data.topic, (planned = []));
    planned.push(plan(data, now, codec));
  }
  const { transactionalId } = options;
  const transactional = transactionalId !== undefined;
  let size = 2 + (transactional ? Buffer.byteLength(transactionalId) : 0) + 2 + 4 + 4; // transactional id, acks, timeout, topic count
  for (const [topic, planned] of byTopic) {
    size += 2 + Buffer.byteLength(topic) + 4;
    for (const partition of planned) size += 4 + 4 + partition.batchBytes;
  }
  const writer = new Writer(Buffer.allocUnsafe(size));
  if (transactional) writer.string(transactionalId);
  else writer.int16(-1); // transactional id: null
  writer.int16(options.acks);
  writer.int32(options.timeoutMs);
  writer.int32(byTopic.size);
  for (const [topic, planned] of byTopic) {
    writer.string(topic);
    writer.int32(planned.length);
    for (const partition of planned) {
      writer.int32(partition.data.partition);
      writer.int32(partition.batchBytes);
      writeRecordBatch(writer, partition, transactional);
    }
  }
  if (writer.offset !== size) throw new Error(`produce request encoding wrote ${writer.offset} bytes, expected ${size}`);
  return writer.buffer;
}

/** Reads a Produce response body (after the correlation id) of `version` 3 to 7. */
export function decodeProduceResponse(version: number, body: Buffer): ProducePartitionResult[] {
  let offset = 0;
  const int16 = (): number => {
    const value = body.readInt16BE(offset);
    offset += 2;
    return value;
  };
  const int32 = (): number => {
    const value = body.readInt32BE(offset);
    offset += 4;
    return value;
  };
  const int64 = (): number => {
    const value = Number(body.readBigInt64BE(offset));
    offset += 8;
    return value;
  };
  const results: ProducePartitionResult[] = [];
  const topics = int32();
  for (let t = 0; t < topics; t++) {
    const length = int16();
    const topic = body.toString('utf8', offset, offset + length);
    offset += length;
    const partitions = int32();
    for (let p = 0; p < partitions; p++) {
      const partition = int32();
      const errorCode = int16();
      const baseOffset = int64();
      int64(); // log append time
      if (version >= 5) int64(); // log start offset
      results.push({ topic, partition, errorCode, baseOffset });
    }
  }
  return results;
}
