import type { Headers, KafkaMessage } from '@goka/core/kafka';
import { AbortedTransactionFilter, isAbortMarker } from './aborted-transactions.js';
import type { AbortedTransaction } from './aborted-transactions.js';
import { decompressBatch } from '../compression/batch-compression.js';
import { kafkaErrorFromCode, legacyMessages, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawBroker } from '../kafkajs-internals.js';
import { WireReader } from './wire.js';
import { toKafkaMessage } from './raw-record.js';

/**
 * The bytes of a Fetch request (versions 4 to 11) and a decoder of its response that turns record
 * batches straight into {@link KafkaMessage}s: one object and two buffer views per record, where
 * kafkajs' decoder builds about ten objects (a decoder, 64-bit offsets as objects and strings, a
 * header object) that the reader then converted again. Every fetched record lives until its batch is
 * processed, so this is most of a reader's memory and garbage collection.
 */

export interface FetchPartitionRequest {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

export interface FetchRequestOptions {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolationLevel: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly FetchPartitionRequest[] }>;
}

/** One partition of a fetch response. */
export interface FetchedPartition {
  readonly partition: number;
  /** Kafka's error code of the partition, 0 if none (then it carries no records). */
  readonly errorCode: number;
  readonly highWatermark: number;
  /** The offset before which every transaction is decided (read_committed readers end there). */
  readonly lastStableOffset: number;
  /**
   * Records at or past the asked offset, control records left out, in offset order; records of
   * aborted transactions left out too when the response listed any (a read_committed fetch).
   */
  readonly messages: readonly KafkaMessage[];
  /** The offset after the last record batch of the answer (the asked offset if there was none). */
  readonly nextOffset: number;
  /**
   * The partition's bytes held no complete record batch: its next batch is larger than the bytes the
   * fetch allowed it (the broker cut it). Not "caught up": fetch again with at least {@link neededBytes}.
   */
  readonly truncated: boolean;
  /** For a truncated partition, the size of its cut batch when its header was there, else 0. */
  readonly neededBytes: number;
}

export interface FetchResponse {
  /** Error of the whole request (version 7 and later), 0 if none. */
  readonly errorCode: number;
  readonly responses: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly FetchedPartition[] }>;
}

/** Sends one fetch to a broker and decodes its answer; `offsetOf` gives each partition's asked offset. */
export type FetchTransport = (
  broker: RawBroker,
  request: FetchRequestOptions,
  offsetOf: (topic: string, partition: number) => number,
) => Promise<FetchResponse>;

/** Kafka's API key of Fetch, and the versions {@link encodeFetchRequest} writes. */
const FETCH_API_KEY = 1;
const MIN_FETCH_VERSION = 4;
const MAX_FETCH_VERSION = 11;
/** Added to a fetch's wait for the answer's way back (as kafkajs does). */
const NETWORK_DELAY_MS = 100;

/**
 * The {@link FetchTransport} on kafkajs' broker connection: our request encoding and record decoding.
 * Throws kafkajs' error for an error of the whole request; a failed partition comes back with its
 * `errorCode` (the reader turns it into kafkajs' error) and fails only itself.
 */
export const fetchRecords: FetchTransport = async (broker, request, offsetOf) => {
  const version = negotiatedVersion(broker, FETCH_API_KEY, MIN_FETCH_VERSION, MAX_FETCH_VERSION);
  if (version === undefined) throw new Error(`the broker supports no Fetch version from ${MIN_FETCH_VERSION} to ${MAX_FETCH_VERSION}`);
  const response = await sendRawRequest(broker, {
    apiKey: FETCH_API_KEY,
    apiVersion: version,
    apiName: 'Fetch',
    body: encodeFetchRequest(version, request),
    decode: (payload) => decodeFetchResponse(version, payload, offsetOf),
    requestTimeoutMs: request.maxWaitMs + NETWORK_DELAY_MS,
  });
  if (response.errorCode !== 0) throw kafkaErrorFromCode(response.errorCode);
  return response;
};

/** The request body (without the request header) of a Fetch of `version` 4 to 11, without a fetch session. */
export function encodeFetchRequest(version: number, options: FetchRequestOptions): Buffer {
  let size = 4 + 4 + 4 + 4 + 1 + (version >= 7 ? 8 : 0) + 4;
  for (const { topic, partitions } of options.topics) {
    size += 2 + Buffer.byteLength(topic) + 4;
    size += partitions.length * (4 + (version >= 9 ? 4 : 0) + 8 + (version >= 5 ? 8 : 0) + 4);
  }
  if (version >= 7) size += 4;
  if (version >= 11) size += 2;
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  const int8 = (value: number): void => {
    at = buffer.writeInt8(value, at);
  };
  const int16 = (value: number): void => {
    at = buffer.writeInt16BE(value, at);
  };
  const int32 = (value: number): void => {
    at = buffer.writeInt32BE(value, at);
  };
  const int64 = (value: number): void => {
    at = buffer.writeBigInt64BE(BigInt(value), at);
  };
  int32(-1); // replica id: a consumer
  int32(options.maxWaitMs);
  int32(options.minBytes);
  int32(options.maxBytes);
  int8(options.isolationLevel);
  if (version >= 7) {
    int32(0); // session id: none
    int32(-1); // session epoch: a full fetch without a session
  }
  int32(options.topics.length);
  for (const { topic, partitions } of options.topics) {
    const length = Buffer.byteLength(topic);
    int16(length);
    at += buffer.write(topic, at, length, 'utf8');
    int32(partitions.length);
    for (const { partition, fetchOffset, maxBytes } of partitions) {
      int32(partition);
      if (version >= 9) int32(-1); // current leader epoch: unknown
      int64(fetchOffset);
      if (version >= 5) int64(-1); // log start offset: only followers send it
      int32(maxBytes);
    }
  }
  if (version >= 7) int32(0); // forgotten topics
  if (version >= 11) int16(0); // rack id: ''
  return buffer;
}

/** Reads a Fetch response body (after the correlation id). `from` gives the asked offset of each partition. */
export async function decodeFetchResponse(
  version: number,
  body: Buffer,
  from: (topic: string, partition: number) => number,
): Promise<FetchResponse> {
  const reader = new WireReader(body);
  reader.int32(); // throttle time
  let errorCode = 0;
  if (version >= 7) {
    errorCode = reader.int16();
    reader.int32(); // session id
  }
  const responses: Array<{ topicName: string; partitions: FetchedPartition[] }> = [];
  const topics = reader.int32();
  for (let t = 0; t < topics; t++) {
    const topicName = reader.string();
    const partitions: FetchedPartition[] = [];
    const count = reader.int32();
    for (let p = 0; p < count; p++) {
      const partition = reader.int32();
      const partitionError = reader.int16();
      const highWatermark = reader.int64();
      const lastStableOffset = reader.int64();
      if (version >= 5) reader.int64(); // log start offset
      // Aborted transactions (null, -1, unless the fetch was read_committed).
      const abortedCount = reader.int32();
      let aborted: AbortedTransaction[] | undefined;
      for (let a = 0; a < abortedCount; a++) (aborted ??= []).push({ producerId: reader.int64(), firstOffset: reader.int64() });
      if (version >= 11) reader.int32(); // preferred read replica
      const size = reader.int32();
      const start = reader.offset;
      if (size > 0) reader.skip(size);
      const offset = from(topicName, partition);
      const decoded =
        size > 0 && partitionError === 0
          ? await decodeRecords(topicName, partition, offset, body.subarray(start, start + size), aborted)
          : { messages: [], nextOffset: offset, truncated: false, neededBytes: 0 };
      partitions.push({ partition, errorCode: partitionError, highWatermark, lastStableOffset: lastStableOffset < 0 ? highWatermark : lastStableOffset, ...decoded });
    }
    responses.push({ topicName, partitions });
  }
  return { errorCode, responses };
}

/** Bytes of a batch (or legacy message) up to and including its magic byte; of a v2 batch's header. */
const BATCH_MAGIC_END = 17;
const BATCH_HEADER_BYTES = 61;
/** Bytes before a batch's (or legacy message's) length field counts: its offset and the length itself. */
const BATCH_LENGTH_END = 12;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME_FLAG = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const NO_HEADERS: Headers = Object.freeze({});

interface DecodedRecords {
  messages: KafkaMessage[];
  nextOffset: number;
  truncated: boolean;
  neededBytes: number;
}

/**
 * The records of a partition's record set at or past `from`, and the offset after its last complete
 * batch. A set ends with a partial batch when the fetch's byte limit cut it: that one is left out, and
 * a set with no complete batch at all is `truncated` (with the cut batch's size when its header is
 * there). Control batches are skipped; with `aborted` (a read_committed fetch's aborted transactions)
 * so are the batches of aborted transactions (see {@link AbortedTransactionFilter}).
 */
export async function decodeRecords(
  topic: string,
  partition: number,
  from: number,
  records: Buffer,
  aborted?: readonly AbortedTransaction[],
): Promise<DecodedRecords> {
  const messages: KafkaMessage[] = [];
  const filter = aborted === undefined ? undefined : new AbortedTransactionFilter(aborted);
  let next = from;
  let at = 0;
  let complete = false;
  // A legacy message (format 0 or 1) may be shorter than a v2 batch header: check the magic first.
  while (at + BATCH_MAGIC_END <= records.length) {
    const length = records.readInt32BE(at + 8);
    const end = at + BATCH_LENGTH_END + length;
    if (end > records.length) break; // a partial batch
    const magic = records.readInt8(at + BATCH_MAGIC_END - 1);
    if (magic !== 2) {
      // The message sets of Kafka's message formats 0 and 1: kafkajs' decoder reads the rest.
      complete = true;
      for (const raw of await legacyMessages(records.subarray(at))) {
        const offset = Number(raw.offset);
        if (offset >= next) next = offset + 1;
        if (offset >= from) messages.push(toKafkaMessage(topic, partition, offset, raw));
      }
      break;
    }
    if (end < at + BATCH_HEADER_BYTES) throw new Error(`a record batch of ${topic}/${partition} is shorter than its header (${length} bytes)`);
    complete = true;
    const baseOffset = Number(records.readBigInt64BE(at));
    const attributes = records.readInt16BE(at + 21);
    const lastOffsetDelta = records.readInt32BE(at + 23);
    const batchEnd = baseOffset + lastOffsetDelta + 1;
    if (batchEnd > next) next = batchEnd;
    const control = (attributes & CONTROL_FLAG) !== 0;
    const dropped =
      filter === undefined
        ? control
        : filter.drops(
            Number(records.readBigInt64BE(at + 43)),
            batchEnd - 1,
            (attributes & TRANSACTIONAL_FLAG) !== 0,
            control,
            control && isAbortMarker(records.subarray(at + BATCH_HEADER_BYTES, end)),
          );
    if (!dropped && batchEnd > from) {
      const baseTimestamp = Number(records.readBigInt64BE(at + 27));
      const maxTimestamp = Number(records.readBigInt64BE(at + 35));
      const count = records.readInt32BE(at + 57);
      const compression = attributes & COMPRESSION_MASK;
      const section = records.subarray(at + BATCH_HEADER_BYTES, end);
      const body = compression === 0 ? section : decompressBatch(compression, section, { topic, partition, baseOffset });
      const context: BatchContext = {
        topic,
        partition,
        from,
        baseOffset,
        baseTimestamp,
        logAppendTime: (attributes & LOG_APPEND_TIME_FLAG) === 0 ? undefined : maxTimestamp,
      };
      readRecords(body, count, context, messages);
    }
    at = end;
  }
  if (complete || records.length === 0) return { messages, nextOffset: next, truncated: false, neededBytes: 0 };
  const neededBytes = records.length >= BATCH_LENGTH_END ? BATCH_LENGTH_END + records.readInt32BE(8) : 0;
  return { messages, nextOffset: next, truncated: true, neededBytes };
}

interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly baseOffset: number;
  readonly baseTimestamp: number;
  /** The batch's timestamp when the topic uses LogAppendTime. */
  readonly logAppendTime: number | undefined;
}

function readRecords(body: Buffer, count: number, context: BatchContext, messages: KafkaMessage[]): void {
  const reader = new WireReader(body);
  for (let i = 0; i < count && reader.offset < body.length; i++) {
    const length = reader.varint();
    const end = reader.offset + length;
    reader.skip(1); // attributes
    const timestampDelta = reader.varint();
    const offset = context.baseOffset + reader.varint();
    const key = reader.varBytes();
    const value = reader.varBytes();
    const headerCount = reader.varint();
    let headers = NO_HEADERS;
    if (headerCount > 0) {
      const named: Record<string, Buffer> = {};
      for (let h = 0; h < headerCount; h++) {
        const nameLength = reader.varint();
        const name = body.toString('utf8', reader.offset, reader.offset + nameLength);
        reader.skip(nameLength);
        // For repeated names the last value wins (kafkajs' decoder gave a null value as null).
        named[name] = reader.varBytes() as Buffer;
      }
      headers = named;
    }
    reader.offset = end;
    if (offset < context.from) continue;
    messages.push({
      topic: context.topic,
      partition: context.partition,
      offset,
      key,
      value,
      headers,
      timestamp: context.logAppendTime ?? context.baseTimestamp + timestampDelta,
    });
  }
}
