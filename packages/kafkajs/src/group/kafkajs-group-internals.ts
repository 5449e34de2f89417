import type { KafkaConfig, logCreator } from 'kafkajs';
import type { GokaLogger } from '@goka/core';
import { kafkajsErrorName, RETRIABLE_NAMES } from '../kafkajs-errors.js';
import { createRawCluster } from '../kafkajs-internals.js';
import type { RawCluster } from '../kafkajs-internals.js';

/**
 * The consumer-group requests of kafkajs' internal broker and cluster objects (kafkajs 2.2.4, frozen):
 * the kafkajs consumer group member implements the classic group protocol itself on these, because
 * kafkajs' public consumer has no awaited revoke hook and heartbeats only between batches.
 */

/** A protocol (assignor) a member offers in JoinGroup, with its member metadata. */
export interface RawGroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface RawJoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeout: number;
  readonly rebalanceTimeout: number;
  /** `''` for a new member (kafkajs answers MEMBER_ID_REQUIRED by joining again with the given id). */
  readonly memberId: string;
  readonly protocolType: string;
  readonly groupProtocols: readonly RawGroupProtocol[];
}

export interface RawJoinGroupResponse {
  readonly generationId: number;
  readonly groupProtocol: string;
  readonly leaderId: string;
  readonly memberId: string;
  /** Every member with its metadata: only the leader gets them. */
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly memberMetadata: Buffer }>;
}

export interface RawSyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** The leader's plan: one encoded assignment per member; empty for the other members. */
  readonly groupAssignment: ReadonlyArray<{ readonly memberId: string; readonly memberAssignment: Buffer }>;
}

export interface RawOffsetCommitRequest {
  readonly groupId: string;
  readonly groupGenerationId: number;
  readonly memberId: string;
  readonly topics: ReadonlyArray<{
    readonly topic: string;
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: string; readonly metadata: string }>;
  }>;
}

export interface RawOffsetFetchResponse {
  readonly responses: ReadonlyArray<{
    readonly topic: string;
    /** `offset` is `'-1'` when the group has committed nothing for the partition. */
    readonly partitions: ReadonlyArray<{ readonly partition: number; readonly offset: string }>;
  }>;
}

/** The group coordinator of a group, as kafkajs' internal `Broker`. Protocol errors reject (with `type`). */
export interface RawGroupBroker {
  joinGroup(request: RawJoinGroupRequest): Promise<RawJoinGroupResponse>;
  syncGroup(request: RawSyncGroupRequest): Promise<{ readonly memberAssignment: Buffer | null }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(request: RawOffsetCommitRequest): Promise<unknown>;
  offsetFetch(request: {
    groupId: string;
    topics: ReadonlyArray<{ topic: string; partitions: ReadonlyArray<{ partition: number }> }>;
  }): Promise<RawOffsetFetchResponse>;
}

/** kafkajs' internal `Cluster` with the group-coordinator lookup and the topic metadata cache. */
export interface RawGroupCluster extends RawCluster {
  findGroupCoordinator(options: { groupId: string }): Promise<RawGroupBroker>;
  /** Loads the metadata (broker list, target topics) when there is none yet or it is older than its max age. */
  refreshMetadataIfNecessary(): Promise<void>;
  /** The cached partitions of a target topic (`[]` when the metadata does not list it). */
  findTopicPartitionMetadata(topic: string): ReadonlyArray<{ readonly partitionId: number }>;
}

/**
 * A kafkajs cluster for a group member: the same object {@link createRawCluster} builds (whose
 * declared type lists only what readers need), seen with its group methods. kafkajs' own retries are
 * off: the member retries by itself, with backoff, and decides for how long.
 */
export function createGroupCluster(config: KafkaConfig & { logCreator: logCreator; isolationLevel?: number }): RawGroupCluster {
  return createRawCluster({ ...config, retry: { retries: 0 } }) as unknown as RawGroupCluster;
}

/** kafkajs wrappers that carry the real error as `cause` (its retrier gave up, or bailed). */
const WRAPPERS: ReadonlySet<string> = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNonRetriableError']);
const MAX_CAUSE_DEPTH = 5;

/** kafkajs errors worth retrying in a group request whatever their `retriable` flag says. */
const GROUP_RETRIABLE_NAMES: ReadonlySet<string> = new Set([
  ...RETRIABLE_NAMES,
  // no broker answered the coordinator lookup (all down, or restarting)
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
]);

/** The error kafkajs' retrier wrapped (the error itself when it is no wrapper). */
export function unwrapKafkajsError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth += 1) {
    const cause = typeof current === 'object' && current !== null ? (current as { cause?: unknown }).cause : undefined;
    if (!WRAPPERS.has(kafkajsErrorName(current)) || cause === undefined || cause === null) return current;
    current = cause;
  }
  return current;
}

/** The Kafka protocol error type (`REBALANCE_IN_PROGRESS`, ...) of a kafkajs error, if it has one. */
export function kafkaErrorType(error: unknown): string | undefined {
  const inner = unwrapKafkajsError(error);
  const type = typeof inner === 'object' && inner !== null ? (inner as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

/** Whether a group request may succeed when tried again later (connection, timeout, coordinator moved). */
export function isRetriableGroupError(error: unknown): boolean {
  const inner = unwrapKafkajsError(error);
  if (typeof inner !== 'object' || inner === null) return false;
  return (inner as { retriable?: unknown }).retriable === true || GROUP_RETRIABLE_NAMES.has(kafkajsErrorName(inner));
}

/** The coordinator says this member's generation is over: join again (keeping the member id). */
export function isGenerationOver(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION';
}

/** The coordinator does not know this member (any more): join again as a new member. */
export function isMemberUnknown(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type === 'UNKNOWN_MEMBER_ID' || type === 'FENCED_INSTANCE_ID';
}

/** A short description of a kafkajs error for messages and logs. */
export function describeKafkaError(error: unknown): string {
  const inner = unwrapKafkajsError(error);
  const type = kafkaErrorType(inner);
  const message = inner instanceof Error ? inner.message : String(inner);
  return type === undefined || message.includes(type) ? message : `${message} (${type})`;
}

/**
 * The logger for a member's kafkajs cluster. kafkajs logs every failed request at ERROR: each answer
 * REBALANCE_IN_PROGRESS to a heartbeat (a normal step of a rebalance), each refused connection while a
 * broker restarts (every heartbeat interval). The member handles every such failure and logs it itself
 * (a warning when a streak of failures starts), so kafkajs' own ERROR lines become debug lines.
 */
export function groupClusterLogger(logger: GokaLogger): GokaLogger {
  return {
    debug: (message, fields) => logger.debug(message, fields),
    info: (message, fields) => logger.info(message, fields),
    warn: (message, fields) => logger.warn(message, fields),
    error: (message, fields) => logger.debug(message, fields),
  };
}
