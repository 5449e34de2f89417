import type { TopicCreateSpec } from '../topic/topic-creation.js';
import type { KafkaAdmin } from './admin.js';
import type { CompressionType } from './compression.js';
import type { ConsumerGroup, ConsumerGroupOptions } from './consumer-group.js';
import type { PartitionReader } from './partition-reader.js';
import type { KafkaProducer } from './producer.js';
import type { IsolationLevel, TransactionalProducer, TransactionalProducerOptions } from './transaction.js';

/** Client identity and per-component settings an adapter passes on to Kafka. */
export interface ClientOptions {
  /** Kafka client id of the component (Goka: `goka-processor-<group>`, `goka-emitter-<topic>`, ...). */
  readonly clientId?: string;
}

/** Settings of a producer: its client identity and how it compresses what it writes. */
export interface ProducerOptions extends ClientOptions {
  /**
   * Compression of the record batches the producer writes. Adapters without a wire format (the
   * in-memory one) accept and ignore it. @default 'none'
   */
  readonly compression?: CompressionType;
}

/** Settings of a partition reader. */
export interface ReaderOptions extends ClientOptions {
  /**
   * `read_committed` hides records of aborted transactions and ends each partition at its last stable
   * offset (what `ReadBatch.highWatermark` then reports). @default 'read_uncommitted'
   */
  readonly isolationLevel?: IsolationLevel;
}

/**
 * The port between Goka's engine and a Kafka client (exported for adapter authors as
 * `@goka/core/kafka`). Two adapters implement it: `KafkajsAdapter` (Apache Kafka through kafkajs, in
 * the package `@goka/kafkajs`: the only code that imports kafkajs) and `MemoryKafka` (in-process, for
 * tests and the embedded default).
 */
export interface KafkaAdapter {
  /** Short name for logs and errors (`kafkajs`, `memory`). */
  readonly name: string;
  /**
   * A producer. @throws CompressionUnavailableError when this runtime cannot compress with
   * `options.compression` (e.g. zstd on Node before 22.15).
   */
  createProducer(options?: ProducerOptions): KafkaProducer;
  createAdmin(options?: ClientOptions): KafkaAdmin;
  createReader(options?: ReaderOptions): PartitionReader;
  /** A member of a consumer group; it joins when its `run` is called. */
  createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup;
  /**
   * A transactional producer (exactly-once processing, emitter transactions). Adapters without
   * transactions leave it out; components that need it then fail at start with a clear error.
   */
  createTransactionalProducer?(options: TransactionalProducerOptions): TransactionalProducer;
  /**
   * Topic provisioning for every component on this adapter that does not choose itself (a
   * processor's `createTopics`, an emitter's `createTopic`): `MemoryKafka({ createTopics })` sets
   * it. Adapters of real brokers leave it out.
   */
  readonly createTopics?: TopicCreateSpec;
}
