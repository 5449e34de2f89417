import type { Admin } from 'kafkajs';
import { TopicNotCreatedError, TopicNotFoundError } from '@goka/core';
import type { IsolationLevel, KafkaAdmin, PartitionOffsets, TopicDescription, TopicSpec } from '@goka/core/kafka';
import { sleep } from '../util.js';
import { connectBounded } from '../kafkajs-connect.js';
import { portError, requestError } from '../kafkajs-port-errors.js';
import type { BoundedConnectSettings } from '../kafkajs-connect.js';
import type { RawCluster } from '../kafkajs-internals.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../protocol/list-offsets-request.js';

/** kafkajs' ConfigResourceTypes.TOPIC. */
const TOPIC_RESOURCE = 2;

/** How long a created topic may take to have a leader for every partition in the metadata a broker serves. */
const LEADERS_TIMEOUT_MS = 30_000;
const LEADERS_POLL_MS = 100;

/**
 * {@link KafkaAdmin} on a kafkajs admin client. Its `connect` is bounded by the adapter's
 * `connectionTimeout` and fails with a `KafkaConnectionError` naming the brokers (see
 * {@link connectBounded}); components name themselves on top (`connectComponent`). Other requests
 * reject with kafkajs' errors as core's rule reads them (`portError`); `offsets` turns a failed or
 * timed-out connection into a `KafkaConnectionError`, which a table waiting for its partition's offsets
 * retries.
 */
export class KafkajsAdmin implements KafkaAdmin {
  private offsetsCluster: Promise<RawCluster> | undefined;

  /**
   * @param createOffsetsCluster a cluster for {@link offsets}' own ListOffsets (kafkajs' admin always
   *   lists with isolation level read_committed); without it `offsets` uses kafkajs' admin.
   */
  constructor(
    private readonly admin: Admin,
    private readonly bounded?: BoundedConnectSettings,
    private readonly createOffsetsCluster?: () => RawCluster,
  ) {}

  connect(): Promise<void> {
    if (this.bounded === undefined) return this.admin.connect().catch(failed);
    return connectBounded(this.bounded, () => this.admin.connect());
  }

  async disconnect(): Promise<void> {
    const offsetsCluster = this.offsetsCluster;
    this.offsetsCluster = undefined;
    if (offsetsCluster !== undefined) await offsetsCluster.then((cluster) => cluster.disconnect()).catch(() => undefined);
    await this.admin.disconnect();
  }

  async describeTopic(topic: string): Promise<TopicDescription | undefined> {
    // Asking for a topic's metadata directly may auto-create it or retry for long on brokers that
    // do not have it, so look at the topic list first (as Goka's topic manager does).
    const topics = await this.admin.listTopics().catch(failed);
    if (!topics.includes(topic)) return undefined;
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] }).catch(failed);
    const found = metadata.topics.find((entry) => entry.name === topic);
    if (found === undefined) return undefined;
    const partitions = found.partitions.map((entry) => entry.partitionId).sort((a, b) => a - b);
    const replicationFactor = Math.min(...found.partitions.map((entry) => entry.replicas.length));
    return { topic, partitions, replicationFactor: Number.isFinite(replicationFactor) ? replicationFactor : 0 };
  }

  /**
   * Creates the topic and waits until the metadata shows a leader for each of its partitions. kafkajs'
   * own `waitForLeaders` gives up at once on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers
   * for a moment after the creation (measured: a processor's start-up failing on it now and then), so
   * the wait retries every retriable metadata error for up to 30 s.
   */
  async createTopic(spec: TopicSpec): Promise<boolean> {
    const created = await this.admin
      .createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: spec.topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      })
      .catch(failed);
    await this.waitForLeaders(spec.topic, spec.partitions);
    return created;
  }

  private async waitForLeaders(topic: string, partitions: number): Promise<void> {
    const deadline = Date.now() + LEADERS_TIMEOUT_MS;
    for (;;) {
      let cause: unknown;
      try {
        const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
        const found = metadata.topics.find((entry) => entry.name === topic)?.partitions ?? [];
        if (found.length >= partitions && found.every((entry) => entry.leader >= 0)) return;
      } catch (error) {
        if ((error as { retriable?: unknown }).retriable !== true) failed(error);
        cause = error;
      }
      if (Date.now() >= deadline) throw new TopicNotCreatedError(topic, { cause });
      await sleep(LEADERS_POLL_MS);
    }
  }

  async topicConfig(topic: string): Promise<Record<string, string>> {
    const described = await this.admin
      .describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name: topic }],
      })
      .catch(failed);
    const resource = described.resources[0];
    if (resource === undefined || resource.errorCode === 3) throw new TopicNotFoundError(topic);
    return Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue]));
  }

  async offsets(topic: string, partitions: readonly number[], isolationLevel?: IsolationLevel): Promise<PartitionOffsets[]> {
    if (this.createOffsetsCluster !== undefined) {
      const cluster = await this.connectedOffsetsCluster(this.createOffsetsCluster);
      const level = isolationLevel === 'read_committed' ? 1 : 0;
      const [oldest, newest] = await Promise.all([
        listOffsets(cluster, topic, partitions, EARLIEST_TIMESTAMP, level),
        listOffsets(cluster, topic, partitions, LATEST_TIMESTAMP, level),
      ]).catch((error: unknown) => {
        throw requestError(error, this.bounded?.brokers ?? [], this.bounded?.clientId ?? 'goka');
      });
      return partitions.map((partition) => ({ oldest: oldest.get(partition) ?? 0, hwm: newest.get(partition) ?? 0 }));
    }
    const all = await this.admin.fetchTopicOffsets(topic).catch((error: unknown) => {
      throw requestError(error, this.bounded?.brokers ?? [], this.bounded?.clientId ?? 'goka');
    });
    const byPartition = new Map(all.map((entry) => [entry.partition, entry]));
    return partitions.map((partition) => {
      const entry = byPartition.get(partition);
      if (entry === undefined) return { oldest: 0, hwm: 0 };
      return { oldest: Number(entry.low), hwm: Number(entry.high) };
    });
  }

  private connectedOffsetsCluster(create: () => RawCluster): Promise<RawCluster> {
    this.offsetsCluster ??= (async () => {
      const cluster = create();
      await cluster.connect();
      return cluster;
    })().catch((error: unknown) => {
      this.offsetsCluster = undefined;
      throw error;
    });
    return this.offsetsCluster;
  }

  async brokerCount(): Promise<number> {
    const cluster = await this.admin.describeCluster().catch(failed);
    return cluster.brokers.length;
  }
}

/** Rethrows a failed kafkajs request as the port's error (see `portError`). */
function failed(error: unknown): never {
  throw portError(error);
}
