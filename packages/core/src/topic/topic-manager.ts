import {
  TopicMismatchError,
  TopicNotCopartitionedError,
  TopicNotCreatedError,
  TopicPartitionGapError,
} from '../errors/topic-error.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import { streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import type { MismatchPolicy, TopicManagerOptions } from './topic-manager-options.js';
import type { ResolvedTopicSpec } from './topic-creation.js';

/**
 * Goka's topic manager: lists partitions (never auto-creating topics), creates group tables
 * (compacted) and loop streams with the group's partition count, and checks that topics are
 * copartitioned. Replication factors are lowered to the broker count, so a one-broker development
 * cluster works with the defaults.
 */
export class TopicManager {
  private readonly logger: GokaLogger;
  private readonly mismatch: MismatchPolicy;

  constructor(
    private readonly admin: KafkaAdmin,
    private readonly options: TopicManagerOptions = {},
  ) {
    this.logger = options.logger ?? streamLogger('warn');
    this.mismatch = options.mismatch ?? 'warn';
  }

  /** The partitions of `topic`, 0..n-1; a missing topic or a gap is an error naming the topic. */
  async partitions(topic: string): Promise<number[]> {
    const described = await this.admin.describeTopic(topic);
    if (described === undefined) throw new TopicNotFoundError(topic);
    const partitions = [...described.partitions];
    if (partitions.some((partition, index) => partition !== index)) {
      throw new TopicPartitionGapError(topic, partitions);
    }
    return partitions;
  }

  /**
   * Checks that all `topics` exist with the same partition count and returns it (Goka's check over
   * inputs and joins). `group` only improves the message.
   */
  async checkCopartitioned(topics: readonly string[], group?: string): Promise<number> {
    let expected: number | undefined;
    for (const topic of topics) {
      const count = (await this.partitions(topic)).length;
      if (expected === undefined) {
        expected = count;
      } else if (count !== expected) {
        throw new TopicNotCopartitionedError(topic, expected, count, group);
      }
    }
    if (expected === undefined) throw new RangeError(`checkCopartitioned needs at least one topic${group === undefined ? "" : ` (group ${group})`}`);
    return expected;
  }

  /** Ensures the group table `topic` exists (compacted) with `partitions` partitions. */
  ensureTableExists(topic: string, partitions: number): Promise<void> {
    return this.ensureTopicExists(topic, partitions, this.options.tableReplication ?? 2, {
      'cleanup.policy': 'compact',
      ...this.options.tableConfig,
    });
  }

  /** Ensures the stream (e.g. loop) `topic` exists with `partitions` partitions and Goka's retention. */
  ensureStreamExists(topic: string, partitions: number): Promise<void> {
    return this.ensureTopicExists(topic, partitions, this.options.streamReplication ?? 2, {
      'cleanup.policy': 'delete',
      'retention.ms': String(this.options.streamRetentionMs ?? 3_600_000),
      ...this.options.streamConfig,
    });
  }

  /** The partition count of `topic`, or `undefined` when it does not exist. */
  async partitionCount(topic: string): Promise<number | undefined> {
    return (await this.admin.describeTopic(topic))?.partitions.length;
  }

  /**
   * Creates the stream `topic` (an input, output or emitter topic) as `spec` says when it is missing
   * (Goka's `EnsureStreamExists`, with the user's settings rather than the loop's retention); an
   * existing topic is left as it is (the copartitioning check judges its partition count). Returns its
   * partition count. `noCreate` wins: a missing topic is then a `TopicNotCreatedError`.
   */
  async ensureUserStream(topic: string, spec: ResolvedTopicSpec): Promise<number> {
    const existing = await this.partitionCount(topic);
    if (existing !== undefined) return existing;
    if (this.options.noCreate === true) throw new TopicNotCreatedError(topic);
    const brokers = await this.admin.brokerCount();
    const replicationFactor = Math.max(1, Math.min(spec.replicationFactor, brokers));
    const created = await this.admin.createTopic({ topic, partitions: spec.partitions, replicationFactor, config: spec.config });
    if (created) this.logger.info('created topic', { topic, partitions: spec.partitions, replicationFactor, config: spec.config });
    return (await this.partitions(topic)).length;
  }

  /**
   * Ensures the dead-letter `topic` exists (created with `partitions` partitions, the stream
   * replication and a retention of `deadLetterRetentionMs`) and returns its partition count.
   */
  async ensureDeadLetterExists(topic: string, partitions: number): Promise<number> {
    if ((await this.admin.describeTopic(topic)) === undefined) {
      await this.ensureTopicExists(topic, partitions, this.options.streamReplication ?? 2, {
        'cleanup.policy': 'delete',
        'retention.ms': String(this.options.deadLetterRetentionMs ?? 604_800_000),
      });
    }
    return (await this.partitions(topic)).length;
  }

  /** Creates `topic` if missing; compares an existing one with the request under the mismatch policy. */
  async ensureTopicExists(
    topic: string,
    partitions: number,
    replicationFactor: number,
    config: Readonly<Record<string, string>>,
  ): Promise<void> {
    const brokers = await this.admin.brokerCount();
    const replication = Math.max(1, Math.min(replicationFactor, brokers));
    const existing = await this.admin.describeTopic(topic);
    if (existing === undefined) {
      if (this.options.noCreate === true) throw new TopicNotCreatedError(topic);
      const created = await this.admin.createTopic({ topic, partitions, replicationFactor: replication, config });
      if (created) {
        this.logger.info('created topic', { topic, partitions, replicationFactor: replication, config });
        return;
      }
    }
    const described = existing ?? (await this.admin.describeTopic(topic));
    if (described === undefined) throw new TopicNotFoundError(topic);
    if (described.partitions.length !== partitions) {
      this.onMismatch(topic, 'partition count', described.partitions.length, partitions);
    }
    if (described.replicationFactor < replication) {
      this.onMismatch(topic, 'replication factor', described.replicationFactor, replication);
    }
    const actualConfig = await this.admin.topicConfig(topic);
    for (const [name, value] of Object.entries(config)) {
      if (actualConfig[name] !== undefined && actualConfig[name] !== value) {
        this.onMismatch(topic, `config ${name}`, actualConfig[name], value);
      }
    }
  }

  private onMismatch(topic: string, property: string, actual: string | number, expected: string | number): void {
    if (this.mismatch === 'ignore') return;
    const error = new TopicMismatchError(topic, property, String(actual), String(expected));
    if (this.mismatch === 'fail') throw error;
    this.logger.warn(error.message, { topic });
  }
}
