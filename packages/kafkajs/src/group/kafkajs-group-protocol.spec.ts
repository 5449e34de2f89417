import { describe, expect, it } from 'vitest';
import { RebalanceError } from '@goka/core';
import { copartitionAssignor } from '@goka/core/kafka';
import {
  decodeAssignment,
  decodeMemberMetadata,
  encodeAssignment,
  encodeMemberMetadata,
  leaderAssignments,
  subscribedTopics,
} from './kafkajs-group-protocol.js';
import { describeKafkaError, isGenerationOver, isMemberUnknown, isRetriableGroupError, kafkaErrorType } from './kafkajs-group-internals.js';

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const text = (value: string): number[] => [0, value.length, ...Buffer.from(value)];

describe('consumer protocol as Goka (sarama) writes it', () => {
  it('member metadata version 0: topics, empty user data (sarama ConsumerGroupMemberMetadata)', () => {
    expect(encodeMemberMetadata(['one', 'two'])).toEqual(bytes(0, 0, 0, 0, 0, 2, ...text('one'), ...text('two'), 0, 0, 0, 0));
  });

  it('reads the topics of any metadata version (sarama V1 with owned partitions, null user data)', () => {
    const v1 = bytes(0, 1, 0, 0, 0, 1, ...text('one'), 255, 255, 255, 255, 0, 0, 0, 0);
    expect(decodeMemberMetadata('g', 'm', v1)).toEqual(['one']);
  });

  it('unreadable metadata is a RebalanceError naming the member', () => {
    expect(() => decodeMemberMetadata('g', 'member-1', bytes(0, 0, 0, 0, 0, 5))).toThrow(RebalanceError);
    expect(() => decodeMemberMetadata('g', 'member-1', bytes(0, 0, 0, 0, 0, 5))).toThrow(/member-1/);
  });

  it('assignment version 0: topic → partitions, empty user data; decoded sorted; empty answer = nothing', () => {
    const encoded = encodeAssignment(new Map([['one', [0, 2, 4]]]));
    expect(encoded).toEqual(bytes(0, 0, 0, 0, 0, 1, ...text('one'), 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0));
    expect(decodeAssignment('g', 'm', encodeAssignment(new Map([['t', [3, 1, 2]]])))).toEqual(new Map([['t', [1, 2, 3]]]));
    expect(decodeAssignment('g', 'm', Buffer.alloc(0))).toEqual(new Map());
    expect(decodeAssignment('g', 'm', null)).toEqual(new Map());
  });

  it("the leader plans with Goka's copartition assignor over every member's topics", () => {
    const members = [
      { memberId: 'b', metadata: encodeMemberMetadata(['in', 'loop']) },
      { memberId: 'a', metadata: encodeMemberMetadata(['in', 'loop']) },
      { memberId: 'c', metadata: encodeMemberMetadata(['in']) },
    ];
    expect(subscribedTopics('g', members).sort()).toEqual(['in', 'loop']);
    const partitions = new Map([
      ['in', [0, 1, 2, 3, 4, 5]],
      ['loop', [0, 1, 2, 3, 4, 5]],
    ]);
    const plan = leaderAssignments('g', copartitionAssignor(), members, partitions);
    const decoded = new Map(plan.map(({ memberId, memberAssignment }) => [memberId, decodeAssignment('g', memberId, memberAssignment)]));
    expect(decoded).toEqual(
      new Map([
        ['b', new Map([['in', [2, 3]], ['loop', [2, 3]]])],
        ['a', new Map([['in', [0, 1]], ['loop', [0, 1]]])],
        ['c', new Map([['in', [4, 5]]])],
      ]),
    );
  });
});

describe('group error classification', () => {
  const protocol = (type: string, retriable: boolean): Error =>
    Object.assign(new Error(`kafka says ${type.toLowerCase()}`), { name: 'KafkaJSProtocolError', type, retriable });
  const exceeded = (cause: unknown): Error => Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause });

  it('rejoin, new member, retry, or give up', () => {
    expect(isGenerationOver(protocol('REBALANCE_IN_PROGRESS', false))).toBe(true);
    expect(isGenerationOver(protocol('ILLEGAL_GENERATION', false))).toBe(true);
    expect(isMemberUnknown(protocol('UNKNOWN_MEMBER_ID', false))).toBe(true);
    expect(isRetriableGroupError(protocol('NOT_COORDINATOR_FOR_GROUP', true))).toBe(true);
    expect(isRetriableGroupError(exceeded(Object.assign(new Error('gone'), { name: 'KafkaJSGroupCoordinatorNotFound', retriable: false })))).toBe(
      true,
    );
    expect(isRetriableGroupError(exceeded(Object.assign(new Error('refused'), { name: 'KafkaJSConnectionError' })))).toBe(true);
    expect(isRetriableGroupError(protocol('INCONSISTENT_GROUP_PROTOCOL', false))).toBe(false);
    expect(isRetriableGroupError(new TypeError('bug'))).toBe(false);
  });

  it('finds the protocol error type and message inside kafkajs wrappers', () => {
    const wrapped = exceeded(protocol('GROUP_AUTHORIZATION_FAILED', false));
    expect(kafkaErrorType(wrapped)).toBe('GROUP_AUTHORIZATION_FAILED');
    expect(describeKafkaError(wrapped)).toBe('kafka says group_authorization_failed (GROUP_AUTHORIZATION_FAILED)');
  });
});
