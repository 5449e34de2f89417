import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ISocketFactory, KafkaConfig, logCreator } from 'kafkajs';

/**
 * kafkajs' internal cluster and broker objects, used to fetch partitions directly (kafkajs has no
 * public API to read a partition without a consumer group) and to send Produce requests we encode
 * ourselves on kafkajs' connections. kafkajs 2.2.4 is the last release and
 * is frozen, so these internals do not move; only this file reaches into them.
 */

/** A fetched record as kafkajs' protocol decoder returns it. */
export interface RawRecord {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[] | undefined>;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly firstOffset: string; readonly lastOffsetDelta: number };
}

/** A broker of kafkajs' cluster: requests go through {@link sendRawRequest}. */
export interface RawBroker {
  disconnect(): Promise<void>;
}

/** The parts of a kafkajs broker that {@link sendRawRequest} uses. */
interface RawRequestBroker {
  readonly versions: Readonly<Record<number, { readonly minVersion: number; readonly maxVersion: number }>> | null;
  readonly connectionPool: {
    send(protocolRequest: {
      requestTimeout?: number;
      request: { apiKey: number; apiVersion: number; apiName: string; expectResponse: () => boolean; encode: () => Promise<unknown> };
      response: { decode: (payload: Buffer) => Promise<unknown>; parse: (data: unknown) => Promise<unknown> };
    }): Promise<unknown>;
  };
  disconnect(): Promise<void>;
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: readonly string[]): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: readonly number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<RawBroker>;
  findControllerBroker(): Promise<RawBroker>;
  fetchTopicsOffset(
    topics: ReadonlyArray<{ topic: string; fromBeginning: boolean; partitions: ReadonlyArray<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

type ClusterConstructor = new (options: Record<string, unknown>) => RawCluster;
type CreateLogger = (options: { level: number; logCreator: logCreator }) => unknown;
type SocketFactoryBuilder = () => ISocketFactory;

const require = createRequire(import.meta.url);
const kafkajsRoot = dirname(require.resolve('kafkajs'));
const load = <T>(path: string): T => require(join(kafkajsRoot, path)) as T;

const Cluster = load<ClusterConstructor>('src/cluster/index.js');
const { createErrorFromCode, errorCodes } = load<{
  createErrorFromCode: (code: number) => Error;
  errorCodes: ReadonlyArray<{ readonly message: string; readonly retriable: boolean }>;
}>('src/protocol/error.js');

/** The messages of the Kafka protocol errors kafkajs retries (NOT_LEADER, UNKNOWN_TOPIC_OR_PARTITION, …). */
export const RETRIABLE_PROTOCOL_MESSAGES: ReadonlySet<string> = new Set(errorCodes.filter((code) => code.retriable).map((code) => code.message));
const { createLogger } = load<{ createLogger: CreateLogger }>('src/loggers/index.js');
const defaultSocketFactory = load<SocketFactoryBuilder>('src/network/socketFactory.js');

/** kafkajs' default socket factory (plain or TLS socket with keep-alive). */
export function kafkajsDefaultSocketFactory(): ISocketFactory {
  return defaultSocketFactory();
}

/**
 * Builds a kafkajs cluster the way `new Kafka(config).consumer()` does, but for direct fetches.
 * `isolationLevel` (default 0, read_uncommitted) is what its ListOffsets ask for: 1 makes "the newest
 * offset" the last stable offset.
 */
export function createRawCluster(config: KafkaConfig & { logCreator: logCreator; isolationLevel?: number }): RawCluster {
  return new Cluster({
    logger: createLogger({ level: config.logLevel ?? 4, logCreator: config.logCreator }),
    retry: config.retry,
    offsets: new Map(),
    socketFactory: config.socketFactory ?? defaultSocketFactory(),
    brokers: config.brokers,
    ssl: config.ssl,
    sasl: config.sasl,
    clientId: config.clientId,
    connectionTimeout: config.connectionTimeout,
    requestTimeout: config.requestTimeout,
    enforceRequestTimeout: true,
    metadataMaxAge: 300_000,
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
    instrumentationEmitter: null,
    isolationLevel: config.isolationLevel ?? 0,
  });
}

/** kafkajs' error for a Kafka error code (with its `type` and `retriable` flag). */
export function kafkaErrorFromCode(code: number): Error {
  return createErrorFromCode(code);
}

/**
 * The highest version of API `apiKey` that the connected `broker` supports within `[min, max]`, or
 * `undefined` when it supports none of them.
 */
export function negotiatedVersion(broker: RawBroker, apiKey: number, min: number, max: number): number | undefined {
  const range = (broker as unknown as RawRequestBroker).versions?.[apiKey];
  if (range === undefined) return undefined;
  const version = Math.min(max, range.maxVersion);
  return version >= Math.max(min, range.minVersion) ? version : undefined;
}

/**
 * Sends a request whose body we encoded ourselves on the connection kafkajs uses for `broker`'s
 * requests (after authentication, in order with its other requests), and decodes the answer's body
 * (after the correlation id) with `decode`. Like kafkajs, a closed connection disconnects the broker,
 * so that the next lookup connects again.
 */
export async function sendRawRequest<T>(
  broker: RawBroker,
  request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    readonly apiName: string;
    readonly body: Buffer;
    readonly decode: (body: Buffer) => T | Promise<T>;
    /** How long to wait for the answer (default: the connection's request timeout). */
    readonly requestTimeoutMs?: number;
  },
): Promise<T> {
  const raw = broker as unknown as RawRequestBroker;
  try {
    const result = await raw.connectionPool.send({
      ...(request.requestTimeoutMs === undefined ? {} : { requestTimeout: request.requestTimeoutMs }),
      request: {
        apiKey: request.apiKey,
        apiVersion: request.apiVersion,
        apiName: request.apiName,
        expectResponse: () => true,
        // kafkajs copies an encoder's `buffer` into the request after the header (`writeEncoder` checks `buf`).
        encode: () => Promise.resolve({ buf: request.body, buffer: request.body, size: () => request.body.length }),
      },
      response: { decode: (payload) => Promise.resolve(request.decode(payload)), parse: (data) => Promise.resolve(data) },
    });
    return result as T;
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'KafkaJSConnectionClosedError') await raw.disconnect().catch(() => undefined);
    throw error;
  }
}

type KafkajsDecoderConstructor = new (buffer: Buffer) => unknown;
const Decoder = load<KafkajsDecoderConstructor>('src/protocol/decoder.js');
const decodeMessageSet = load<(decoder: unknown, size: number) => Promise<RawRecord[]>>('src/protocol/messageSet/decoder.js');
const { KafkaJSOffsetOutOfRange } = load<{
  KafkaJSOffsetOutOfRange: new (cause: Error, where: { topic: string; partition: number }) => Error;
}>('src/errors.js');
/** Kafka's error code OFFSET_OUT_OF_RANGE. */
const OFFSET_OUT_OF_RANGE = 1;

/** The messages of a message set in Kafka's message format 0 or 1 (kafkajs' decoder; no headers). */
export async function legacyMessages(messageSet: Buffer): Promise<RawRecord[]> {
  const messages = await decodeMessageSet(new Decoder(messageSet), messageSet.length);
  return messages.map((message) => ({ ...message, headers: message.headers ?? {}, isControlRecord: false }));
}

/**
 * The error kafkajs' fetch would throw for a failed partition of a fetch response:
 * `KafkaJSOffsetOutOfRange` (with topic and partition) for an offset out of range, else the error of
 * its code.
 */
export function fetchPartitionError(topic: string, partition: number, errorCode: number): Error {
  const error = createErrorFromCode(errorCode);
  return errorCode === OFFSET_OUT_OF_RANGE ? new KafkaJSOffsetOutOfRange(error, { topic, partition }) : error;
}

/** What kafkajs' broker answers to InitProducerId. */
interface InitProducerIdBroker {
  initProducerId(request: { transactionalId: undefined; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
}

/** Asks `broker` for a producer id and epoch for an idempotent producer (InitProducerId, no transactional id). */
export async function initProducerId(broker: RawBroker): Promise<{ producerId: number; producerEpoch: number }> {
  const answer = await (broker as unknown as InitProducerIdBroker).initProducerId({ transactionalId: undefined, transactionTimeout: 60_000 });
  return { producerId: Number(answer.producerId), producerEpoch: answer.producerEpoch };
}
