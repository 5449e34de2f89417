import type { KafkaAdmin, TopicDescription, TopicSpec } from '../admin.js';
import type { PartitionOffsets } from '../message.js';
import type { IsolationLevel } from '../transaction.js';
import type { MemoryKafka } from './memory-kafka.js';

/** Admin client of {@link MemoryKafka}: one broker, topics created on request. */
export class MemoryAdmin implements KafkaAdmin {
  constructor(private readonly kafka: MemoryKafka) {}

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  async describeTopic(topic: string): Promise<TopicDescription | undefined> {
    return this.kafka.describeTopic(topic);
  }

  async createTopic(spec: TopicSpec): Promise<boolean> {
    return this.kafka.createTopic(spec.topic, { partitions: spec.partitions, config: spec.config ?? {} });
  }

  async topicConfig(topic: string): Promise<Record<string, string>> {
    return { ...this.kafka.topic(topic).config };
  }

  async offsets(topic: string, partitions: readonly number[], isolation?: IsolationLevel): Promise<PartitionOffsets[]> {
    return partitions.map((partition) => this.kafka.offsets(topic, partition, isolation));
  }

  async brokerCount(): Promise<number> {
    return 1;
  }
}
