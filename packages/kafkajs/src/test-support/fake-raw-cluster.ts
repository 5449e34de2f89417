/** A kafkajs cluster in memory for the reader's tests: fake brokers answering real Fetch v4 request bytes. */
import { silentLogger } from '@goka/core';
import type { KafkaMessage } from '@goka/core/kafka';
import type { FetchRequestOptions } from '../protocol/fetch-request.js';
import { encodeProduceRequest } from '../protocol/produce-request.js';
import type { RawBroker, RawCluster } from '../kafkajs-internals.js';
import { KafkajsReader } from '../reader/kafkajs-reader.js';
import type { KafkajsReaderSettings } from '../reader/kafkajs-reader.js';

/** An error shaped like kafkajs' (name, retriable, type), for tests of the adapter's classification. */
export function kafkajsError(name: string, message: string, extra: { retriable?: boolean; type?: string; cause?: unknown } = {}): Error {
  return Object.assign(new Error(message), { retriable: true, ...extra, name });
}

export const connectionRefused = (): Error => kafkajsError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED');

/** kafkajs' retrier gave up on `cause` (what a cluster built with `retries: 0` throws). */
export const retriesExceeded = (cause: Error): Error =>
  kafkajsError('KafkaJSNumberOfRetriesExceeded', cause.message, { retriable: false, cause });

/** One record batch of one record at `offset` (the bytes our produce request writes for it). */
export function recordBatch(offset: number, key: string, value: string, { control = false } = {}): Buffer {
  const body = encodeProduceRequest({
    acks: -1,
    timeoutMs: 1000,
    now: 0,
    partitions: [{ topic: 't', partition: 0, records: [{ topic: 't', partition: 0, key: Buffer.from(key), value: Buffer.from(value) }] }],
  });
  const at = 2 + 2 + 4 + 4 + 2 + 1 + 4 + 4; // header, topic 't', partition count, partition
  const batch = Buffer.from(body.subarray(at + 4, at + 4 + body.readInt32BE(at)));
  batch.writeBigInt64BE(BigInt(offset), 0);
  if (control) batch.writeInt16BE(0x20, 21); // the control flag (the reader checks no CRC)
  return batch;
}

/**
 * One fake broker behind the reader's real fetch transport: it reads the Fetch v4 request bytes and
 * answers from the cluster's logs with Fetch v4 response bytes, or fails with `failure`. Like Kafka it
 * cuts each partition's bytes at its `maxBytes` and the response's, except that the first partition
 * with data gets at least its first batch whole; an offset past the end is OFFSET_OUT_OF_RANGE.
 */
export class FakeBroker implements RawBroker {
  failure: (() => Error) | undefined;
  /** Thrown by the next fetches (one each), before `failure`. */
  readonly failNext: Array<() => Error> = [];
  /** Requests of fewer partitions get an empty answer (to have partitions share a request). */
  answerFrom = 0;
  fetches = 0;
  /** Per partition, the offset after the last record answered whole. */
  readonly delivered = new Map<number, number>();
  /** The partition order of every request. */
  readonly orders: number[][] = [];
  /** Error codes answered for partitions (instead of their records). */
  readonly partitionErrors = new Map<number, number>();
  /** The Fetch versions the broker supports (API key 1), as kafkajs' broker lists them. */
  readonly versions = { 1: { minVersion: 0, maxVersion: 4 } };
  /** kafkajs' connection pool, as the reader's transport (sendRawRequest) uses it. */
  readonly connectionPool = {
    send: async (protocolRequest: {
      request: { encode: () => Promise<unknown> };
      response: { decode: (payload: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
    }): Promise<unknown> => {
      const { buffer } = (await protocolRequest.request.encode()) as { buffer: Buffer };
      const answer = await this.fetch(parseFetchRequest(buffer));
      return protocolRequest.response.parse(await protocolRequest.response.decode(answer));
    },
  };

  constructor(private readonly cluster: FakeRawCluster) {}

  async disconnect(): Promise<void> {}

  async fetch(request: FetchRequestOptions): Promise<Buffer> {
    this.fetches += 1;
    this.orders.push(request.topics.flatMap(({ partitions }) => partitions.map((p) => p.partition)));
    const failure = this.failNext.shift() ?? this.failure;
    if (failure !== undefined) throw failure();
    const answer = this.answer(request);
    if (answer.carried) return answer.body;
    // Long poll, shortened: nothing new yet.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.answer(request).body;
  }

  private answer(request: FetchRequestOptions): { body: Buffer; carried: boolean } {
    const empty = request.topics.reduce((n, { partitions }) => n + partitions.length, 0) < this.answerFrom;
    let left = request.maxBytes;
    let carried = false;
    const parts: Buffer[] = [int32(0), int32(request.topics.length)];
    for (const { topic, partitions } of request.topics) {
      parts.push(int16(Buffer.byteLength(topic)), Buffer.from(topic), int32(partitions.length));
      for (const { partition, fetchOffset, maxBytes } of partitions) {
        const log = this.cluster.log(topic, partition);
        const errorCode = fetchOffset > log.length ? 1 : (this.partitionErrors.get(partition) ?? 0);
        const all = empty || errorCode !== 0 ? Buffer.alloc(0) : Buffer.concat(log.slice(fetchOffset));
        let limit = Math.min(maxBytes, left);
        if (!carried && all.length > 0) limit = Math.max(limit, (log[fetchOffset] as Buffer).length);
        const records = all.subarray(0, limit);
        let whole = 0;
        for (let size = 0, at = fetchOffset; at < log.length && size + (log[at] as Buffer).length <= records.length; at++, whole++) {
          size += (log[at] as Buffer).length;
        }
        if (whole > 0) this.delivered.set(partition, Math.max(this.delivered.get(partition) ?? 0, fetchOffset + whole));
        left = Math.max(0, left - records.length);
        carried ||= records.length > 0;
        const head = Buffer.alloc(4 + 2 + 8 + 8 + 4 + 4);
        let at = head.writeInt32BE(partition, 0);
        at = head.writeInt16BE(errorCode, at);
        at = head.writeBigInt64BE(BigInt(log.length), at);
        at = head.writeBigInt64BE(BigInt(log.length), at);
        at = head.writeInt32BE(0, at); // aborted transactions
        head.writeInt32BE(records.length, at);
        parts.push(head, records);
      }
    }
    return { body: Buffer.concat(parts), carried };
  }
}

/** The fields of a Fetch v4 request body that the fake broker answers. */
function parseFetchRequest(body: Buffer): FetchRequestOptions {
  let at = 4; // replica id
  const int = (bytes: 1 | 2 | 4 | 8): number => {
    const value = bytes === 8 ? Number(body.readBigInt64BE(at)) : body.readIntBE(at, bytes);
    at += bytes;
    return value;
  };
  const maxWaitMs = int(4);
  const minBytes = int(4);
  const maxBytes = int(4);
  const isolationLevel = int(1);
  const topics = Array.from({ length: int(4) }, () => {
    const length = int(2);
    const topic = body.toString('utf8', at, (at += length));
    const partitions = Array.from({ length: int(4) }, () => ({ partition: int(4), fetchOffset: int(8), maxBytes: int(4) }));
    return { topic, partitions };
  });
  return { maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}

/**
 * A {@link RawCluster} in memory: topics with partitions led by fake brokers. Tests make brokers fail,
 * count metadata refreshes, and script connect and metadata failures.
 */
export class FakeRawCluster implements RawCluster {
  readonly brokers = new Map<string, FakeBroker>();
  /** `<topic>/<partition>` → leader node id. */
  readonly leaders = new Map<string, string>();
  /** `<topic>/<partition>` → its record batches, one record each (the batch at index i has offset i). */
  readonly logs = new Map<string, Buffer[]>();
  /** Thrown by the next calls of connect() (one each), then connect succeeds. */
  readonly connectFailures: Array<() => Error> = [];
  /** Thrown by the next calls of addMultipleTargetTopics() (one each). */
  readonly metadataFailures: Array<() => Error> = [];
  /** Thrown by the next calls of fetchTopicsOffset() (one each). */
  readonly offsetsFailures: Array<() => Error> = [];
  connects = 0;
  refreshes = 0;
  disconnected = false;

  addTopic(topic: string, leaders: readonly string[]): void {
    leaders.forEach((nodeId, partition) => {
      this.leaders.set(`${topic}/${partition}`, nodeId);
      if (!this.brokers.has(nodeId)) this.brokers.set(nodeId, new FakeBroker(this));
      this.logs.set(`${topic}/${partition}`, []);
    });
  }

  broker(nodeId: string): FakeBroker {
    const broker = this.brokers.get(nodeId);
    if (broker === undefined) throw new Error(`no fake broker ${nodeId}`);
    return broker;
  }

  log(topic: string, partition: number): Buffer[] {
    return this.logs.get(`${topic}/${partition}`) ?? [];
  }

  append(topic: string, partition: number, ...values: readonly string[]): void {
    const log = this.log(topic, partition);
    for (const value of values) log.push(recordBatch(log.length, `k${log.length}`, value));
  }

  /** Appends a transaction marker (a control batch). */
  appendControl(topic: string, partition: number): void {
    const log = this.log(topic, partition);
    log.push(recordBatch(log.length, 'ctl', 'marker', { control: true }));
  }

  async connect(): Promise<void> {
    this.connects += 1;
    const failure = this.connectFailures.shift();
    if (failure !== undefined) throw failure();
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  isConnected(): boolean {
    return !this.disconnected;
  }

  async refreshMetadata(): Promise<void> {
    this.refreshes += 1;
  }

  async addMultipleTargetTopics(topics: readonly string[]): Promise<void> {
    const failure = this.metadataFailures.shift();
    if (failure !== undefined) throw failure();
    for (const topic of topics) {
      if (![...this.leaders.keys()].some((key) => key.startsWith(`${topic}/`))) {
        throw kafkajsError('KafkaJSProtocolError', 'This server does not host this topic-partition', {
          type: 'UNKNOWN_TOPIC_OR_PARTITION',
        });
      }
    }
  }

  findLeaderForPartitions(topic: string, partitions: readonly number[]): Record<string, number[]> {
    const result: Record<string, number[]> = {};
    for (const partition of partitions) {
      const leader = this.leaders.get(`${topic}/${partition}`);
      if (leader !== undefined) (result[leader] ??= []).push(partition);
    }
    return result;
  }

  async findBroker({ nodeId }: { nodeId: string }): Promise<RawBroker> {
    const broker = this.brokers.get(nodeId);
    if (broker === undefined) throw kafkajsError('KafkaJSBrokerNotFound', `Broker ${nodeId} not found in the cached metadata`);
    return broker;
  }

  findControllerBroker(): Promise<RawBroker> {
    return Promise.reject(kafkajsError('KafkaJSBrokerNotFound', 'the reader never asks for the controller'));
  }

  async fetchTopicsOffset(
    topics: ReadonlyArray<{ topic: string; fromBeginning: boolean; partitions: ReadonlyArray<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>> {
    const failure = this.offsetsFailures.shift();
    if (failure !== undefined) throw failure();
    return topics.map(({ topic, fromBeginning, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition }) => ({
        partition,
        offset: fromBeginning ? '0' : String(this.log(topic, partition).length),
      })),
    }));
  }
}

export const TOPIC = 'table';

export function setup(leaders: readonly string[], settings: Partial<KafkajsReaderSettings> = {}): { cluster: FakeRawCluster; reader: KafkajsReader } {
  const cluster = new FakeRawCluster();
  cluster.addTopic(TOPIC, leaders);
  const reader = new KafkajsReader(cluster, {
    maxWaitMs: 10,
    maxBytesPerPartition: 1024,
    retryTimeoutMs: 60_000,
    logger: silentLogger,
    ...settings,
  });
  return { cluster, reader };
}

/** A record's value as text. */
const text = (m: KafkaMessage): string => m.value?.toString('utf8') ?? '';

/**
 * Reads `partition` from `from` until `enough` says so (checked after every batch); resolves with the
 * values read, rejects with the read's error. `onBatch` runs after each batch (to append more records).
 */
export async function readValues(
  reader: KafkajsReader,
  partition: number,
  enough: (values: readonly string[]) => boolean,
  { from = 0, onBatch }: { from?: number; onBatch?: (values: readonly string[]) => void } = {},
): Promise<string[]> {
  const controller = new AbortController();
  const values: string[] = [];
  for await (const batch of reader.read(TOPIC, partition, from, controller.signal)) {
    values.push(...batch.messages.map(text));
    if (enough(values)) controller.abort();
    else onBatch?.(values);
  }
  return values;
}

/** Resolves once `condition` holds, checking after each macrotask (fake brokers answer in 5 ms). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
