import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ISocketFactory, KafkaConfig, logCreator } from 'kafkajs';

/**
 * kafkajs' internal cluster and broker objects, used to fetch partitions directly (kafkajs has no
 * public API to read a partition without a consumer group). kafkajs 2.2.4 is the last release and
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

export interface RawFetchPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly messages: readonly RawRecord[];
}

export interface RawFetchResponse {
  readonly responses: ReadonlyArray<{ readonly topicName: string; readonly partitions: readonly RawFetchPartition[] }>;
}

export interface RawFetchRequest {
  readonly maxWaitTime: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolationLevel: number;
  readonly topics: ReadonlyArray<{
    readonly topic: string;
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly fetchOffset: string; readonly maxBytes: number }>;
  }>;
}

export interface RawBroker {
  fetch(request: RawFetchRequest): Promise<RawFetchResponse>;
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: readonly string[]): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: readonly number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<RawBroker>;
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
const { createLogger } = load<{ createLogger: CreateLogger }>('src/loggers/index.js');
const defaultSocketFactory = load<SocketFactoryBuilder>('src/network/socketFactory.js');

/** kafkajs' default socket factory (plain or TLS socket with keep-alive). */
export function kafkajsDefaultSocketFactory(): ISocketFactory {
  return defaultSocketFactory();
}

/** Builds a kafkajs cluster the way `new Kafka(config).consumer()` does, but for direct fetches. */
export function createRawCluster(config: KafkaConfig & { logCreator: logCreator }): RawCluster {
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
    isolationLevel: 0,
  });
}
