import type { CommitOffset } from '@goka/core/kafka';
import { isUnknownTopic } from '../kafkajs-errors.js';
import { isRetriableGroupError } from './kafkajs-group-internals.js';
import type { RawGroupBroker, RawGroupCluster, RawGroupProtocol, RawJoinGroupResponse } from './kafkajs-group-internals.js';
import { CONSUMER_PROTOCOL_TYPE } from './kafkajs-group-protocol.js';
import type { RawBroker } from '../kafkajs-internals.js';
import { fetchStableOffsets, supportsStableOffsetFetch } from './stable-offset-fetch.js';
import type { StableOffsetFetchOptions } from './stable-offset-fetch.js';
import { retrying } from '../reader/reader-retry.js';
import type { RetryingOptions } from '../reader/reader-retry.js';

/** A topic-partition's key in maps: `<partition>\0<topic>`. */
export function slotOf(topic: string, partition: number): string {
  return `${partition}\u0000${topic}`;
}

/**
 * The requests of one group member to its group coordinator (and the cluster metadata it needs), on
 * kafkajs' internal cluster. The coordinator broker is looked up once and forgotten after a retriable
 * error (the coordinator may have moved, or its broker restarted). Each call is one attempt: callers
 * decide what to retry, with {@link withRetries}.
 */
export class KafkajsGroupClient {
  private coordinator: RawGroupBroker | undefined;

  constructor(
    private readonly cluster: RawGroupCluster,
    readonly groupId: string,
    private readonly options: KafkajsGroupClientOptions = {},
  ) {}

  /** JoinGroup: waits until every member has (re)joined; answers the generation, the leader and, to the leader, the members. */
  join(request: {
    memberId: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocols: readonly RawGroupProtocol[];
  }): Promise<RawJoinGroupResponse> {
    return this.request((broker) =>
      broker.joinGroup({
        groupId: this.groupId,
        memberId: request.memberId,
        sessionTimeout: request.sessionTimeoutMs,
        rebalanceTimeout: request.rebalanceTimeoutMs,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        groupProtocols: request.protocols,
      }),
    );
  }

  /** SyncGroup: the leader hands in the plan; every member gets its own assignment back. */
  async sync(
    generationId: number,
    memberId: string,
    groupAssignment: ReadonlyArray<{ memberId: string; memberAssignment: Buffer }>,
  ): Promise<Buffer | null> {
    const answer = await this.request((broker) => broker.syncGroup({ groupId: this.groupId, generationId, memberId, groupAssignment }));
    return answer.memberAssignment;
  }

  async heartbeat(generationId: number, memberId: string): Promise<void> {
    await this.request((broker) => broker.heartbeat({ groupId: this.groupId, groupGenerationId: generationId, memberId }));
  }

  async leave(memberId: string): Promise<void> {
    await this.request((broker) => broker.leaveGroup({ groupId: this.groupId, memberId }));
  }

  /** OffsetCommit of next-offsets with the member's generation; empty metadata, the broker's retention (as Goka). */
  async commit(generationId: number, memberId: string, offsets: readonly CommitOffset[]): Promise<void> {
    const byTopic = new Map<string, Array<{ partition: number; offset: string; metadata: string }>>();
    for (const { topic, partition, offset } of offsets) {
      let partitions = byTopic.get(topic);
      if (partitions === undefined) byTopic.set(topic, (partitions = []));
      partitions.push({ partition, offset: String(offset), metadata: '' });
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await this.request((broker) =>
      broker.offsetCommit({ groupId: this.groupId, groupGenerationId: generationId, memberId, topics }),
    );
  }

  /**
   * The group's committed next-offsets of the partitions, by {@link slotOf}; partitions without a commit
   * are missing. With {@link KafkajsGroupClientOptions.requireStable}, offsets a pending transaction is
   * about to replace are waited for (until `signal` aborts): see {@link fetchStableOffsets}.
   */
  async committed(partitions: ReadonlyMap<string, readonly number[]>, signal?: AbortSignal): Promise<Map<string, number>> {
    if (this.options.requireStable === true) {
      // kafkajs' Broker (what findGroupCoordinator returns) is the RawBroker raw requests are sent on
      const stable = await this.request(async (broker) => {
        const raw = broker as unknown as RawBroker;
        if (!supportsStableOffsetFetch(raw)) return undefined; // Kafka < 2.5: no KIP-447, kafkajs' OffsetFetch below
        return fetchStableOffsets(raw, this.groupId, partitions, { signal, onUnstable: this.options.onUnstable });
      });
      if (stable !== undefined) return new Map(stable.map(({ topic, partition, offset }) => [slotOf(topic, partition), offset]));
    }
    const topics = [...partitions].map(([topic, ids]) => ({ topic, partitions: ids.map((partition) => ({ partition })) }));
    const answer = await this.request((broker) => broker.offsetFetch({ groupId: this.groupId, topics }));
    const committed = new Map<string, number>();
    for (const { topic, partitions: fetched } of answer.responses) {
      for (const { partition, offset } of fetched) {
        const value = Number(offset);
        if (value >= 0) committed.set(slotOf(topic, partition), value);
      }
    }
    return committed;
  }

  /** The oldest offsets (`oldest`) or high-water marks of the partitions, by {@link slotOf}. */
  async offsets(partitions: ReadonlyMap<string, readonly number[]>, oldest: boolean): Promise<Map<string, number>> {
    await this.connect();
    await this.cluster.addMultipleTargetTopics([...partitions.keys()]);
    const answer = await this.cluster.fetchTopicsOffset(
      [...partitions].map(([topic, ids]) => ({ topic, fromBeginning: oldest, partitions: ids.map((partition) => ({ partition })) })),
    );
    const offsets = new Map<string, number>();
    for (const { topic, partitions: listed } of answer) {
      for (const { partition, offset } of listed) offsets.set(slotOf(topic, partition), Number(offset));
    }
    return offsets;
  }

  /**
   * The partitions of each topic from fresh metadata (the leader plans with them). Topics the cluster
   * does not know are left out (as Goka's coordinator does), and reported through `missing`.
   */
  async partitions(topics: readonly string[], missing: (topic: string) => void): Promise<Map<string, number[]>> {
    await this.connect();
    const known: string[] = [];
    try {
      await this.cluster.addMultipleTargetTopics(topics);
      known.push(...topics);
    } catch (error) {
      if (!isUnknownTopic(error)) throw error;
      // One of them is missing (kafkajs fails the whole metadata request): find out which.
      for (const topic of topics) {
        try {
          await this.cluster.addMultipleTargetTopics([topic]);
          known.push(topic);
        } catch (topicError) {
          if (!isUnknownTopic(topicError)) throw topicError;
          missing(topic);
        }
      }
    }
    await this.cluster.refreshMetadata();
    const partitions = new Map<string, number[]>();
    for (const topic of known) {
      const ids = this.cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      if (ids.length === 0) missing(topic);
      else partitions.set(topic, ids.sort((a, b) => a - b));
    }
    return partitions;
  }

  /** Best effort: fresh metadata after a failure (a broker came back, a leader moved). */
  async refreshMetadata(): Promise<void> {
    try {
      await this.connect();
      await this.cluster.refreshMetadata();
    } catch {
      // the next attempt of the failed call reports what is wrong
    }
  }

  async disconnect(): Promise<void> {
    this.coordinator = undefined;
    await this.cluster.disconnect();
  }

  /** Connects to a bootstrap broker (again, after a restart) and loads the broker list once it is stale. */
  private async connect(): Promise<void> {
    if (!this.cluster.isConnected()) await this.cluster.connect();
    await this.cluster.refreshMetadataIfNecessary();
  }

  private async request<T>(call: (broker: RawGroupBroker) => Promise<T>): Promise<T> {
    try {
      await this.connect();
      let broker = this.coordinator;
      if (broker === undefined) {
        broker = await this.cluster.findGroupCoordinator({ groupId: this.groupId });
        this.coordinator = broker;
      }
      return await call(broker);
    } catch (error) {
      if (isRetriableGroupError(error)) this.coordinator = undefined;
      throw error;
    }
  }
}

export interface KafkajsGroupClientOptions {
  /**
   * Fetch committed offsets with OffsetFetch v7 and require_stable (KIP-447), waiting while a
   * transaction that commits offsets of the partitions is pending: what a read_committed member needs.
   * Else kafkajs' OffsetFetch (no require_stable). @default false
   */
  readonly requireStable?: boolean;
  /** Told once per {@link KafkajsGroupClient.committed} when a pending transaction holds offsets. */
  readonly onUnstable?: StableOffsetFetchOptions['onUnstable'];
}

/**
 * Runs `call` until it resolves, retrying retriable group errors ({@link isRetriableGroupError}) with
 * the reader's backoff (100 ms growing to 5 s) for up to `timeoutMs`.
 */
export function withRetries<T>(call: () => Promise<T>, policy: Omit<RetryingOptions, 'retriable'>): Promise<T> {
  return retrying(call, { ...policy, retriable: isRetriableGroupError });
}
