import { RebalanceError } from '../../errors/group-error.js';
import { assignNotCopartitioned, assignTopicSetsDiffer } from '../kafka.messages.js';
import type { Assignment, Assignor, GroupMember } from '../consumer-group.js';

/** Options of {@link copartitionAssignor}. */
export interface CopartitionAssignorOptions {
  /**
   * Refuse members that subscribe to different topic sets (Goka's `StrictCopartitioningStrategy`);
   * by default they are tolerated, which rolling upgrades need. @default false
   */
  readonly strict?: boolean;
}

/**
 * Goka's `copartition` assignor: every member gets the same contiguous range of partition numbers of
 * every topic it subscribed to, so a key's input, loop and table partitions land on one member.
 * Members are sorted by id; with P partitions and M members, member i gets
 * `[floor(i·P/M + 0.5), floor((i+1)·P/M + 0.5))`. All topics must have the same partition count.
 * The name and the plan match Go Goka, so TypeScript and Go instances can share a group.
 */
export function copartitionAssignor(options: CopartitionAssignorOptions = {}): Assignor {
  return {
    name: 'copartition',
    plan(members, partitions) {
      const partitionIds = commonPartitions(partitions);
      const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
      if (options.strict === true) checkSameTopics(sorted);
      const step = partitionIds.length / Math.max(1, sorted.length);
      const plan = new Map<string, Assignment>();
      sorted.forEach((member, index) => {
        const range = partitionIds.slice(Math.floor(index * step + 0.5), Math.floor((index + 1) * step + 0.5));
        const assignment = new Map<string, readonly number[]>();
        for (const topic of member.topics) if (partitions.has(topic)) assignment.set(topic, range);
        plan.set(member.memberId, assignment);
      });
      return plan;
    },
  };
}

/** The partition ids every topic shares, sorted; topics with other partition sets are an error. */
function commonPartitions(partitions: ReadonlyMap<string, readonly number[]>): number[] {
  let common: number[] | undefined;
  for (const [topic, ids] of partitions) {
    const sorted = [...ids].sort((a, b) => a - b);
    if (common === undefined) {
      common = sorted;
    } else if (sorted.length !== common.length || sorted.some((id, i) => id !== common?.[i])) {
      throw new RebalanceError(assignNotCopartitioned(topic, common.length, sorted.length));
    }
  }
  return common ?? [];
}

function checkSameTopics(members: readonly GroupMember[]): void {
  const first = members[0];
  if (first === undefined) return;
  const expected = topicSetKey(first);
  for (const member of members) {
    if (topicSetKey(member) !== expected) throw new RebalanceError(assignTopicSetsDiffer(first.memberId, member.memberId));
  }
}

function topicSetKey(member: GroupMember): string {
  return [...new Set(member.topics)].sort().join('\u0000');
}
