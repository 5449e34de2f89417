import { describe, expect, it } from 'vitest';
import { RebalanceError } from '../../errors/group-error.js';
import type { Assignment } from '../consumer-group.js';
import { copartitionAssignor } from './copartition-assignor.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const plain = (plan: Map<string, Assignment>) =>
  Object.fromEntries([...plan].map(([member, assignment]) => [member, Object.fromEntries(assignment)]));

describe('copartition assignor (Goka’s plan)', () => {
  it('is named copartition', () => {
    expect(copartitionAssignor().name).toBe('copartition');
  });

  it('gives a single member everything', () => {
    const plan = copartitionAssignor().plan([{ memberId: 'm1', topics: ['in', 'g-loop'] }], new Map([
      ['in', range(4)],
      ['g-loop', range(4)],
    ]));
    expect(plain(plan)).toEqual({ m1: { in: [0, 1, 2, 3], 'g-loop': [0, 1, 2, 3] } });
  });

  it('splits 3 partitions over 2 members as {0,1},{2}, members sorted by id', () => {
    const plan = copartitionAssignor().plan(
      [
        { memberId: 'm2', topics: ['t'] },
        { memberId: 'm1', topics: ['t'] },
      ],
      new Map([['t', range(3)]]),
    );
    expect(plain(plan)).toEqual({ m1: { t: [0, 1] }, m2: { t: [2] } });
  });

  it('gives each of 3 members the same range of every topic: 6 partitions → {0,1},{2,3},{4,5}', () => {
    const plan = copartitionAssignor().plan(
      ['c', 'a', 'b'].map((memberId) => ({ memberId, topics: ['t1', 't2'] })),
      new Map([
        ['t1', range(6)],
        ['t2', range(6)],
      ]),
    );
    expect(plain(plan)).toEqual({
      a: { t1: [0, 1], t2: [0, 1] },
      b: { t1: [2, 3], t2: [2, 3] },
      c: { t1: [4, 5], t2: [4, 5] },
    });
  });

  it('spreads 12 partitions over 5 members by Goka’s rounding', () => {
    const plan = copartitionAssignor().plan(
      range(5).map((i) => ({ memberId: `m${i}`, topics: ['t'] })),
      new Map([['t', range(12)]]),
    );
    expect([...plan.values()].map((a) => a.get('t'))).toEqual([[0, 1], [2, 3, 4], [5, 6], [7, 8, 9], [10, 11]]);
  });

  it('leaves members beyond the partition count without partitions', () => {
    const plan = copartitionAssignor().plan(
      range(3).map((i) => ({ memberId: `m${i}`, topics: ['t'] })),
      new Map([['t', range(2)]]),
    );
    const sizes = [...plan.values()].map((a) => a.get('t')?.length ?? 0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2);
    expect(new Set([...plan.values()].flatMap((a) => a.get('t') ?? [])).size).toBe(2);
  });

  it('tolerates a member with a different topic set: it gets its range of its own topics', () => {
    const plan = copartitionAssignor().plan(
      [
        { memberId: 'm1', topics: ['t1', 't2'] },
        { memberId: 'm2', topics: ['t2'] },
      ],
      new Map([
        ['t1', range(6)],
        ['t2', range(6)],
      ]),
    );
    expect(plain(plan)).toEqual({ m1: { t1: [0, 1, 2], t2: [0, 1, 2] }, m2: { t2: [3, 4, 5] } });
  });

  it('refuses differing topic sets when strict', () => {
    expect(() =>
      copartitionAssignor({ strict: true }).plan(
        [
          { memberId: 'm1', topics: ['t1', 't2'] },
          { memberId: 'm2', topics: ['t2'] },
        ],
        new Map([
          ['t1', range(2)],
          ['t2', range(2)],
        ]),
      ),
    ).toThrow(/A group-name clash might be the reason/);
  });

  it('refuses topics that are not copartitioned', () => {
    const planning = () =>
      copartitionAssignor().plan(
        [{ memberId: 'm1', topics: ['a', 'b'] }],
        new Map([
          ['a', range(4)],
          ['b', range(2)],
        ]),
      );
    expect(planning).toThrow(RebalanceError);
    expect(planning).toThrow(/Not all topics are copartitioned.*"b" has 2 partitions, others have 4/);
  });
});
