export type { KafkaAdmin, TopicDescription, TopicSpec } from './admin.js';
export type { ClientOptions, KafkaAdapter, ProducerOptions, ReaderOptions } from './kafka-adapter.js';
export type {
  GroupGeneration,
  IsolationLevel,
  Transaction,
  TransactionalProducer,
  TransactionalProducerOptions,
} from './transaction.js';
export { COMPRESSION_TYPES, DEFAULT_COMPRESSION } from './compression.js';
export type { CompressionType } from './compression.js';
export type { Headers, KafkaMessage, OutgoingMessage, PartitionOffsets, ProducedOffset } from './message.js';
export type { PartitionReader, ReadBatch } from './partition-reader.js';
export type { KafkaProducer } from './producer.js';
export { MemoryKafka } from './memory/memory-kafka.js';
export type { AppendListener, MemoryKafkaOptions, MemoryTopicOptions, ProduceFault } from './memory/memory-kafka.js';
export { MemoryPartitionLog } from './memory/memory-partition-log.js';
export { MemoryTopic } from './memory/memory-topic.js';
export { resolveKafka } from './connection.js';
export type { KafkaConnectionOptions } from './connection.js';
export type { KafkaBrokerOptions, KafkaRetryOptions, KafkaSaslOptions, KafkaSocketFactory, KafkaSocketFactoryArgs } from './broker-options.js';
export { DEFAULT_ADAPTER_PACKAGE } from './default-adapter.js';
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
export { copartitionAssignor } from './assignor/copartition-assignor.js';
export type { CopartitionAssignorOptions } from './assignor/copartition-assignor.js';
export { MemoryConsumerGroup } from './memory/memory-consumer-group.js';
export { MemoryGroupCoordinator } from './memory/memory-group-coordinator.js';
export { MemberCrashedError } from './memory/member-crashed-error.js';
export { ActivityToken, MemoryActivity } from './memory/memory-activity.js';
