/**
 * @goka/core/kafka — the Kafka port: what an adapter implements so that processors, views and emitters
 * run on it. Two adapters implement it: `MemoryKafka` (in `@goka/core`) and `KafkajsAdapter` (the
 * package `@goka/kafkajs`, Apache Kafka on kafkajs). An adapter author imports from here only.
 *
 * The contract, besides the interfaces' own documentation:
 * - Records carry their partition (Goka's FNV-1a partitioner, chosen by the engine); an adapter never
 *   partitions by itself.
 * - Errors: an adapter throws core's error classes where they fit (`ProduceFailedError` naming the
 *   record that failed, `KafkaConnectionError` for a broker that cannot be reached or timed out,
 *   `TopicNotFoundError`, `PartitionReadError`, ...), with their `retriable` flag set: the engine retries
 *   what {@link isRetriableError} says is retriable (emits, processor outputs) and treats a
 *   `KafkaConnectionError` as temporary where it waits for a cluster (table offsets). It never looks at a
 *   client library's own error classes, so an adapter that lets a client's error through makes sure that
 *   its `retriable` flags tell the truth (or wraps it in a `GokaError` that does).
 */

// the port
export type { KafkaAdapter, ClientOptions, ProducerOptions, ReaderOptions } from './kafka-adapter.js';
export type { KafkaProducer } from './producer.js';
export type { PartitionReader, ReadBatch } from './partition-reader.js';
export type {
  Assignment,
  Assignor,
  CommitOffset,
  ConsumerGroup,
  ConsumerGroupOptions,
  GroupHandler,
  GroupMember,
  GroupSession,
} from './consumer-group.js';
export type { KafkaAdmin, TopicDescription, TopicSpec } from './admin.js';
export type { TopicCreateSpec } from '../topic/topic-creation.js';
export type { Headers, KafkaMessage, OutgoingMessage, PartitionOffsets, ProducedOffset } from './message.js';
export { COMPRESSION_TYPES, DEFAULT_COMPRESSION, isCompressionType } from './compression.js';
export type { CompressionType } from './compression.js';
export type {
  GroupGeneration,
  IsolationLevel,
  Transaction,
  TransactionalProducer,
  TransactionalProducerOptions,
} from './transaction.js';

// the options of a connection by `brokers` (what the default adapter takes)
export type { KafkaBrokerOptions, KafkaRetryOptions, KafkaSaslOptions, KafkaSocketFactory, KafkaSocketFactoryArgs } from './broker-options.js';

// the engine's assignor (co-partitioned: partition i of every input topic to one member), for an
// adapter's group protocol and its tests
export { copartitionAssignor } from './assignor/copartition-assignor.js';
export type { CopartitionAssignorOptions } from './assignor/copartition-assignor.js';

// rules and helpers an adapter shares with the engine
export { checkBrokers } from './brokers.js';
export { isRetriableError } from './retriable-produce-error.js';
export { culpritOf, recordSize } from './produce-culprit.js';
export type { Culprit } from './produce-culprit.js';

// the errors an adapter throws
export {
  BatchDecompressionError,
  CommitFailedError,
  CompressionUnavailableError,
  GokaError,
  KafkaAuthenticationError,
  KafkaBrokersError,
  KafkaConnectionError,
  KafkaTlsError,
  PartitionNotFoundError,
  PartitionReadError,
  ProduceFailedError,
  ProducerFencedError,
  ProducerSequenceError,
  RebalanceError,
  TopicNotCreatedError,
  TopicNotFoundError,
} from '../errors/index.js';
export type {
  GokaErrorOptions,
  KafkaAuthenticationErrorOptions,
  KafkaConnectionErrorOptions,
  KafkaTlsErrorOptions,
  ProduceFailedOptions,
  ProducerSequenceErrorInit,
  TlsProblem,
} from '../errors/index.js';
