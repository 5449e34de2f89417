import kafkajs from 'kafkajs';
import { RebalanceError } from '@goka/core';
import type { Assignment, Assignor, GroupMember } from '@goka/core/kafka';
import { groupMetadataUnreadable } from '../messages.js';

/**
 * The consumer protocol's member metadata and assignment (Kafka's `ConsumerProtocol`, sarama's
 * `ConsumerGroupMemberMetadata` / `ConsumerGroupMemberAssignment`), encoded with kafkajs' public
 * `AssignerProtocol`. Version 0 is what Goka (sarama) sends: topics and user data, nothing else, so Go
 * and Java members read it, and a leader of any of them can plan for this member.
 */

/** The group's protocol type: every member of a consumer group uses it. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';
/** Member metadata and assignment version (sarama's default; no owned partitions, no rack). */
export const CONSUMER_PROTOCOL_VERSION = 0;

const { MemberMetadata, MemberAssignment } = kafkajs.AssignerProtocol;

/** This member's metadata: the topics it subscribes to, no user data (as Goka). */
export function encodeMemberMetadata(topics: readonly string[]): Buffer {
  return MemberMetadata.encode({ version: CONSUMER_PROTOCOL_VERSION, topics: [...topics], userData: Buffer.alloc(0) });
}

/** The topics a member subscribed to, from its metadata (any version: later fields are ignored). */
export function decodeMemberMetadata(groupId: string, memberId: string, metadata: Buffer): string[] {
  try {
    const decoded = MemberMetadata.decode(metadata);
    if (decoded === null) throw new RangeError('empty metadata');
    return decoded.topics;
  } catch (error) {
    throw new RebalanceError(groupMetadataUnreadable(groupId, memberId, reason(error)), groupId, { cause: error });
  }
}

/** A member's assignment as the leader sends it: topic → partitions, no user data (as Goka). */
export function encodeAssignment(assignment: Assignment): Buffer {
  const topics: Record<string, number[]> = {};
  for (const [topic, partitions] of assignment) topics[topic] = [...partitions];
  return MemberAssignment.encode({ version: CONSUMER_PROTOCOL_VERSION, assignment: topics, userData: Buffer.alloc(0) });
}

/** This member's assignment from SyncGroup (an empty answer is an empty assignment); partitions sorted. */
export function decodeAssignment(groupId: string, memberId: string, buffer: Buffer | null): Map<string, number[]> {
  const assignment = new Map<string, number[]>();
  if (buffer === null || buffer.length === 0) return assignment;
  let decoded: ReturnType<typeof MemberAssignment.decode>;
  try {
    decoded = MemberAssignment.decode(buffer);
  } catch (error) {
    throw new RebalanceError(groupMetadataUnreadable(groupId, memberId, reason(error)), groupId, { cause: error });
  }
  if (decoded === null) return assignment;
  for (const [topic, partitions] of Object.entries(decoded.assignment)) {
    assignment.set(topic, [...partitions].sort((a, b) => a - b));
  }
  return assignment;
}

/** A member of the group as the leader learnt it from JoinGroup. */
export interface JoinedMember {
  readonly memberId: string;
  readonly metadata: Buffer;
}

/**
 * The leader's SyncGroup plan: decodes every member's topics, asks the assignor (which may throw, e.g.
 * topics not copartitioned) and encodes one assignment per member (an empty one for members it left out).
 */
export function leaderAssignments(
  groupId: string,
  assignor: Assignor,
  members: readonly JoinedMember[],
  partitions: ReadonlyMap<string, readonly number[]>,
): Array<{ memberId: string; memberAssignment: Buffer }> {
  const groupMembers: GroupMember[] = members.map(({ memberId, metadata }) => ({
    memberId,
    topics: decodeMemberMetadata(groupId, memberId, metadata),
  }));
  const plan = assignor.plan(groupMembers, partitions);
  return groupMembers.map(({ memberId }) => ({
    memberId,
    memberAssignment: encodeAssignment(plan.get(memberId) ?? new Map<string, readonly number[]>()),
  }));
}

/** Every topic any member subscribed to (the leader needs their partitions). */
export function subscribedTopics(groupId: string, members: readonly JoinedMember[]): string[] {
  const topics = new Set<string>();
  for (const { memberId, metadata } of members) {
    for (const topic of decodeMemberMetadata(groupId, memberId, metadata)) topics.add(topic);
  }
  return [...topics];
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
