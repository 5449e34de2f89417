import type { KafkaAdmin } from './admin.js';
import type { ConsumerGroup, ConsumerGroupOptions } from './consumer-group.js';
import type { PartitionReader } from './partition-reader.js';
import type { KafkaProducer } from './producer.js';

/** Client identity and per-component settings an adapter passes on to Kafka. */
export interface ClientOptions {
  /** Kafka client id of the component (Goka: `goka-processor-<group>`, `goka-emitter-<topic>`, ...). */
  readonly clientId?: string;
}

/**
 * The port between Goka's engine and a Kafka client. Two adapters implement it: `KafkajsAdapter`
 * (Apache Kafka through kafkajs; the only code that imports kafkajs) and `MemoryKafka` (in-process,
 * for tests and the embedded default).
 */
export interface KafkaAdapter {
  /** Short name for logs and errors (`kafkajs`, `memory`). */
  readonly name: string;
  createProducer(options?: ClientOptions): KafkaProducer;
  createAdmin(options?: ClientOptions): KafkaAdmin;
  createReader(options?: ClientOptions): PartitionReader;
  /** A member of a consumer group; it joins when its `run` is called. */
  createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup;
}
