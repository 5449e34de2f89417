import type { PartitionOffsets } from './message.js';
import type { IsolationLevel } from './transaction.js';

/** A topic to create. */
export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs such as `cleanup.policy`. */
  readonly config?: Readonly<Record<string, string>>;
}

/** What the cluster knows about a topic. */
export interface TopicDescription {
  readonly topic: string;
  /** Partition ids in ascending order. */
  readonly partitions: readonly number[];
  /** The smallest replica count of any partition. */
  readonly replicationFactor: number;
}

/** Topic metadata and offsets: what Goka's topic manager and partition tables ask the cluster. */
export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** The topic, or `undefined` when the cluster does not have it (never auto-creates it). */
  describeTopic(topic: string): Promise<TopicDescription | undefined>;
  /** Creates the topic; resolves `false` when it already existed. */
  createTopic(spec: TopicSpec): Promise<boolean>;
  /** The topic's config entries (every entry the broker reports). */
  topicConfig(topic: string): Promise<Record<string, string>>;
  /**
   * Oldest offset and high-water mark of every listed partition, in the order asked. With
   * `read_committed` the reported `hwm` is the last stable offset (where a read_committed reader ends).
   */
  offsets(topic: string, partitions: readonly number[], isolationLevel?: IsolationLevel): Promise<PartitionOffsets[]>;
  /** How many brokers the cluster has (a topic's replication factor cannot exceed it). */
  brokerCount(): Promise<number>;
}
