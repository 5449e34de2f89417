import type { ClientOptions } from './kafka-adapter.js';
import type { KafkaMessage } from './message.js';
import type { IsolationLevel } from './transaction.js';

/** Partitions per topic: what one member of a group consumes. */
export type Assignment = ReadonlyMap<string, readonly number[]>;

/** A member of a consumer group as the group leader sees it when planning. */
export interface GroupMember {
  readonly memberId: string;
  /** The topics this member subscribed to. */
  readonly topics: readonly string[];
}

/**
 * Decides which member consumes which partitions (a consumer-group "partition assignor"). Every
 * member of a group must offer the same `name`; Kafka picks it as the group's protocol.
 */
export interface Assignor {
  readonly name: string;
  /**
   * The plan for one generation: member id → its assignment. `partitions` lists the partitions of
   * every topic any member subscribed to. Throwing fails the rebalance for the whole group.
   */
  plan(members: readonly GroupMember[], partitions: ReadonlyMap<string, readonly number[]>): Map<string, Assignment>;
}

/** The next offset to read of a topic-partition (Kafka's committed offset: last processed + 1). */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * One generation of a member's group membership (sarama's session): what it was assigned, a signal
 * that aborts when the generation ends, and commits that count only while it lasts.
 */
export interface GroupSession {
  readonly groupId: string;
  readonly memberId: string;
  readonly generation: number;
  readonly assignment: Assignment;
  /** Aborted when the generation ends (rebalance, leaving, or the member's run stopping). */
  readonly signal: AbortSignal;
  /**
   * Commits next-offsets for partitions of this session's assignment. Rejects with a
   * `CommitFailedError` once the generation is over (the group moved on; the records will be
   * delivered again to whoever owns the partition now).
   */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
}

/**
 * What a member does in each generation (Goka's Setup / ConsumeClaim / Cleanup). A generation runs
 * `assigned` → any number of `batch` calls (sequential per partition, concurrent across partitions)
 * → `revoked`. A rejection from any of them ends the member's run with that error.
 */
export interface GroupHandler {
  /** Called before any record of the generation is delivered: recover state, then resolve. */
  assigned(session: GroupSession): Promise<void>;
  /** Records of one partition in offset order. The next batch of that partition waits for this one. */
  batch(session: GroupSession, topic: string, partition: number, messages: readonly KafkaMessage[]): Promise<void>;
  /** The generation ends: no more batches will come. Finish in-flight work, commit, release. */
  revoked(session: GroupSession): Promise<void>;
}

/** Options of {@link ConsumerGroup}. */
export interface ConsumerGroupOptions extends ClientOptions {
  /** The group id (Goka: the group name). */
  readonly groupId: string;
  /** Topics this member subscribes to (Goka: inputs and the loop). */
  readonly topics: readonly string[];
  readonly assignor: Assignor;
  /** Where a partition without a committed offset starts. @default 'newest' (as Goka) */
  readonly initialOffset?: 'oldest' | 'newest';
  /** @default 10000 */
  readonly sessionTimeoutMs?: number;
  /** @default 60000 */
  readonly rebalanceTimeoutMs?: number;
  /** @default 3000 */
  readonly heartbeatIntervalMs?: number;
  /** What the member reads of transactional writes (see `IsolationLevel`). @default 'read_uncommitted' */
  readonly isolationLevel?: IsolationLevel;
}

/** A member of a consumer group. */
export interface ConsumerGroup {
  /**
   * Joins the group and runs generation after generation until `signal` aborts (then it leaves the
   * group after the last `revoked`, and resolves), or rejects with the error that ended it.
   */
  run(handler: GroupHandler, signal: AbortSignal): Promise<void>;
}
