import type { Admin } from 'kafkajs';
import type { KafkaAdmin, TopicDescription, TopicSpec } from '../admin.js';
import type { PartitionOffsets } from '../message.js';
import { TopicNotFoundError } from '../../errors/kafka-error.js';

/** kafkajs' ConfigResourceTypes.TOPIC. */
const TOPIC_RESOURCE = 2;

/** {@link KafkaAdmin} on a kafkajs admin client. */
export class KafkajsAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async describeTopic(topic: string): Promise<TopicDescription | undefined> {
    // Asking for a topic's metadata directly may auto-create it or retry for long on brokers that
    // do not have it, so look at the topic list first (as Goka's topic manager does).
    const topics = await this.admin.listTopics();
    if (!topics.includes(topic)) return undefined;
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const found = metadata.topics.find((entry) => entry.name === topic);
    if (found === undefined) return undefined;
    const partitions = found.partitions.map((entry) => entry.partitionId).sort((a, b) => a - b);
    const replicationFactor = Math.min(...found.partitions.map((entry) => entry.replicas.length));
    return { topic, partitions, replicationFactor: Number.isFinite(replicationFactor) ? replicationFactor : 0 };
  }

  createTopic(spec: TopicSpec): Promise<boolean> {
    return this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  async topicConfig(topic: string): Promise<Record<string, string>> {
    const described = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: TOPIC_RESOURCE, name: topic }],
    });
    const resource = described.resources[0];
    if (resource === undefined || resource.errorCode === 3) throw new TopicNotFoundError(topic);
    return Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue]));
  }

  async offsets(topic: string, partitions: readonly number[]): Promise<PartitionOffsets[]> {
    const all = await this.admin.fetchTopicOffsets(topic);
    const byPartition = new Map(all.map((entry) => [entry.partition, entry]));
    return partitions.map((partition) => {
      const entry = byPartition.get(partition);
      if (entry === undefined) return { oldest: 0, hwm: 0 };
      return { oldest: Number(entry.low), hwm: Number(entry.high) };
    });
  }

  async brokerCount(): Promise<number> {
    const cluster = await this.admin.describeCluster();
    return cluster.brokers.length;
  }
}
