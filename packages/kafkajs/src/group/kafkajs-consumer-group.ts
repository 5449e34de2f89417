import type { KafkaConfig } from 'kafkajs';
import { GokaError, KafkaConnectionError, RebalanceError, silentLogger } from '@goka/core';
import type { GokaLogger } from '@goka/core';
import type { Assignment, ConsumerGroup, ConsumerGroupOptions, GroupHandler, PartitionReader } from '@goka/core/kafka';
import { groupJoinRefused, groupProtocolInconsistent } from '../messages.js';
import { sleep } from '../util.js';
import { KafkajsGroupClient, withRetries } from './kafkajs-group-client.js';
import { KafkajsGroupGeneration } from './kafkajs-group-generation.js';
import {
  createGroupCluster,
  describeKafkaError,
  groupClusterLogger,
  isGenerationOver,
  isMemberUnknown,
  isRetriableGroupError,
  kafkaErrorType,
} from './kafkajs-group-internals.js';
import type { RawJoinGroupResponse } from './kafkajs-group-internals.js';
import { decodeAssignment, encodeMemberMetadata, leaderAssignments, subscribedTopics } from './kafkajs-group-protocol.js';
import { kafkajsLogCreator } from '../kafkajs-logger.js';
import { retryDelay } from '../reader/reader-retry.js';

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
const DEFAULT_REBALANCE_TIMEOUT_MS = 60_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;
const DEFAULT_RETRY_TIMEOUT_MS = 30_000;
/** How long a stopping member tries to say goodbye (LeaveGroup) before it leaves it to the session timeout. */
const LEAVE_TIMEOUT_MS = 5_000;

/** How a {@link KafkajsConsumerGroup} reaches Kafka (the kafkajs adapter builds them). */
export interface KafkajsGroupSettings {
  /**
   * kafkajs client settings of the member's coordinator connection: brokers, clientId, ssl, sasl,
   * timeouts, socketFactory, logLevel. `retry` is ignored: the member retries by itself, with backoff.
   */
  readonly client: KafkaConfig;
  /** Reads the assigned partitions: one reader per run, disconnected when the run ends. */
  readonly createReader: () => PartitionReader;
  /** @default silentLogger */
  readonly logger?: GokaLogger;
  /**
   * How long connection errors are retried (with backoff from 100 ms up to 5 s) while the member joins
   * the group for the first time, and for each commit, before `run` rejects with a
   * `KafkaConnectionError` (a commit: the commit rejects). Once the member has joined, rejoining after
   * connection errors (a broker restart) is retried for as long as it takes. @default 30000
   */
  readonly retryTimeoutMs?: number;
}

/**
 * A member of a Kafka consumer group on kafkajs (Goka's sarama consumer group): it implements the
 * classic group protocol itself on kafkajs' internal cluster — JoinGroup (with the member id Kafka asks
 * for), the leader's plan with the {@link ConsumerGroupOptions.assignor} (Goka's `copartition`),
 * SyncGroup, heartbeats independent of the handler's work, OffsetFetch/OffsetCommit with the
 * generation, LeaveGroup on stop — and fetches the assigned partitions with a {@link PartitionReader}.
 *
 * Members speak the standard consumer protocol (type `consumer`, metadata version 0 with the
 * subscribed topics, no user data), so Go Goka and TypeScript instances can share a group.
 */
export class KafkajsConsumerGroup implements ConsumerGroup {
  constructor(
    private readonly options: ConsumerGroupOptions,
    private readonly settings: KafkajsGroupSettings,
  ) {}

  async run(handler: GroupHandler, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await new GroupMembership(this.options, this.settings, handler, signal).run();
  }
}

/** What a member got from JoinGroup + SyncGroup. */
interface JoinedGeneration {
  readonly generation: number;
  readonly memberId: string;
  readonly assignment: Assignment;
}

/** One run of a member: joins, runs generation after generation, leaves. */
class GroupMembership {
  private readonly logger: GokaLogger;
  private readonly client: KafkajsGroupClient;
  private readonly reader: PartitionReader;
  /** Aborted when the run stops: its signal aborted, or it failed. */
  private readonly stopping = new AbortController();
  private failure: { error: unknown } | undefined;
  private memberId = '';
  private joinedOnce = false;
  private readonly groupId: string;
  private readonly clientId: string;
  private readonly brokers: readonly string[];
  private readonly retryTimeoutMs: number;

  constructor(
    private readonly options: ConsumerGroupOptions,
    settings: KafkajsGroupSettings,
    private readonly handler: GroupHandler,
    private readonly signal: AbortSignal,
  ) {
    this.logger = settings.logger ?? silentLogger;
    this.groupId = options.groupId;
    this.clientId = options.clientId ?? settings.client.clientId ?? options.groupId;
    this.brokers = Array.isArray(settings.client.brokers) ? settings.client.brokers : [];
    this.retryTimeoutMs = settings.retryTimeoutMs ?? DEFAULT_RETRY_TIMEOUT_MS;
    const cluster = createGroupCluster({
      ...settings.client,
      clientId: this.clientId,
      logCreator: kafkajsLogCreator(groupClusterLogger(this.logger)),
      // A partition without a commit that starts at the newest offset starts at its last stable one.
      isolationLevel: options.isolationLevel === 'read_committed' ? 1 : 0,
    });
    this.client = new KafkajsGroupClient(cluster, options.groupId, {
      // KIP-447: a read_committed member does not start from offsets a pending transaction replaces
      requireStable: options.isolationLevel === 'read_committed',
      onUnstable: (partitions) =>
        this.logger.info('a pending transaction commits offsets of assigned partitions: waiting for it', { group: this.groupId, partitions }),
    });
    this.reader = settings.createReader();
  }

  async run(): Promise<void> {
    const onAbort = (): void => this.stopping.abort();
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const joined = await this.join();
        if (joined === undefined) break;
        await this.generation(joined).run();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.signal.removeEventListener('abort', onAbort);
      await this.leave();
      await Promise.allSettled([this.reader.disconnect(), this.client.disconnect()]);
    }
    if (this.failure !== undefined) throw this.failure.error;
  }

  private fail(error: unknown): void {
    if (this.failure === undefined) {
      this.failure = { error };
      this.logger.error('the group member stops after an error', {
        group: this.groupId,
        memberId: this.memberId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.stopping.abort();
  }

  private generation(joined: JoinedGeneration): KafkajsGroupGeneration {
    const options = this.options;
    return new KafkajsGroupGeneration({
      groupId: this.groupId,
      memberId: joined.memberId,
      generation: joined.generation,
      assignment: joined.assignment,
      handler: this.handler,
      client: this.client,
      reader: this.reader,
      logger: this.logger,
      initialOffset: options.initialOffset ?? 'newest',
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      commitTimeoutMs: this.retryTimeoutMs,
      brokers: this.brokers,
      clientId: this.clientId,
      stop: this.stopping.signal,
      fail: (error) => this.fail(error),
      forgetMember: () => {
        if (this.memberId === joined.memberId) this.memberId = '';
      },
    });
  }

  /**
   * JoinGroup + SyncGroup until the member has a generation; `undefined` when the run stops first.
   * The coordinator ending the rebalance early (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION) means join
   * again, UNKNOWN_MEMBER_ID join again as a new member; connection errors are retried with backoff
   * (before the first join for up to `retryTimeoutMs`); anything else ends the run.
   */
  private async join(): Promise<JoinedGeneration | undefined> {
    const { assignor, topics } = this.options;
    const protocols = [{ name: assignor.name, metadata: encodeMemberMetadata(topics) }];
    let failingSince: number | undefined;
    while (!this.stopping.signal.aborted) {
      try {
        const joined = await this.client.join({
          memberId: this.memberId,
          sessionTimeoutMs: this.options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
          rebalanceTimeoutMs: this.options.rebalanceTimeoutMs ?? DEFAULT_REBALANCE_TIMEOUT_MS,
          protocols,
        });
        this.memberId = joined.memberId;
        const plan = joined.leaderId === joined.memberId ? await this.plan(joined) : [];
        const answer = await this.client.sync(joined.generationId, joined.memberId, plan);
        const assignment = this.subscribed(decodeAssignment(this.groupId, joined.memberId, answer));
        this.joinedOnce = true;
        this.logger.info('joined the group', {
          group: this.groupId,
          generation: joined.generationId,
          memberId: joined.memberId,
          leader: joined.leaderId === joined.memberId,
          assignment: Object.fromEntries(assignment),
        });
        if (this.stopping.signal.aborted) return undefined;
        return { generation: joined.generationId, memberId: joined.memberId, assignment };
      } catch (error) {
        if (this.stopping.signal.aborted) return undefined;
        if (isMemberUnknown(error)) {
          this.memberId = '';
          continue;
        }
        if (isGenerationOver(error)) continue;
        if (error instanceof GokaError) throw error;
        if (kafkaErrorType(error) === 'INCONSISTENT_GROUP_PROTOCOL') {
          throw new RebalanceError(groupProtocolInconsistent(this.groupId, assignor.name), this.groupId, { cause: error });
        }
        if (!isRetriableGroupError(error)) {
          throw new RebalanceError(groupJoinRefused(this.groupId, describeKafkaError(error)), this.groupId, { cause: error });
        }
        const now = Date.now();
        failingSince ??= now;
        const failingFor = now - failingSince;
        if (!this.joinedOnce && failingFor >= this.retryTimeoutMs) {
          throw new KafkaConnectionError(this.brokers, this.clientId, { cause: error });
        }
        const fields = { group: this.groupId, failingForMs: failingFor, error: describeKafkaError(error) };
        if (failingFor === 0) this.logger.warn('joining the group failed, retrying', fields);
        else this.logger.debug('joining the group failed again, retrying', fields);
        await sleep(retryDelay(failingFor), this.stopping.signal);
        await this.client.refreshMetadata();
      }
    }
    return undefined;
  }

  /** The leader's plan for every member, over fresh partition metadata of every subscribed topic. */
  private async plan(joined: RawJoinGroupResponse): Promise<Array<{ memberId: string; memberAssignment: Buffer }>> {
    const members = joined.members.map(({ memberId, memberMetadata }) => ({ memberId, metadata: memberMetadata }));
    const topics = subscribedTopics(this.groupId, members);
    const partitions = await this.client.partitions(topics, (topic) =>
      this.logger.warn('a subscribed topic does not exist: no member consumes it', { group: this.groupId, topic }),
    );
    const plan = leaderAssignments(this.groupId, this.options.assignor, members, partitions);
    this.logger.debug('planned the generation as leader', {
      group: this.groupId,
      generation: joined.generationId,
      members: members.map((m) => m.memberId),
    });
    return plan;
  }

  /** The assignment without topics this member did not subscribe to (a leader of another kind may add them). */
  private subscribed(assignment: Map<string, number[]>): Assignment {
    const topics = new Set(this.options.topics);
    for (const topic of assignment.keys()) {
      if (topics.has(topic)) continue;
      this.logger.warn('the leader assigned a topic this member did not subscribe to: ignored', { group: this.groupId, topic });
      assignment.delete(topic);
    }
    return assignment;
  }

  /** LeaveGroup, so the others rebalance at once; best effort (else the session timeout removes the member). */
  private async leave(): Promise<void> {
    const memberId = this.memberId;
    if (memberId === '') return;
    this.memberId = '';
    try {
      await withRetries(() => this.client.leave(memberId), { signal: new AbortController().signal, timeoutMs: LEAVE_TIMEOUT_MS });
      this.logger.info('left the group', { group: this.groupId, memberId });
    } catch (error) {
      this.logger.warn('could not leave the group: the coordinator removes the member after the session timeout', {
        group: this.groupId,
        memberId,
        error: describeKafkaError(error),
      });
    }
  }
}
