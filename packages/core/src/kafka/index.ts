export type { KafkaAdmin, TopicDescription, TopicSpec } from './admin.js';
export type { ClientOptions, KafkaAdapter } from './kafka-adapter.js';
export type { Headers, KafkaMessage, OutgoingMessage, PartitionOffsets, ProducedOffset } from './message.js';
export type { PartitionReader, ReadBatch } from './partition-reader.js';
export type { KafkaProducer } from './producer.js';
export { MemoryKafka } from './memory/memory-kafka.js';
export type { AppendListener, MemoryTopicOptions, ProduceFault } from './memory/memory-kafka.js';
export { MemoryPartitionLog } from './memory/memory-partition-log.js';
export { MemoryTopic } from './memory/memory-topic.js';
