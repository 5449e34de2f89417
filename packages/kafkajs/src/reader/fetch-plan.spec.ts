import { describe, expect, it } from 'vitest';
import { fetchBudget, planFetch } from './fetch-plan.js';
import { newSubscription } from './subscription.js';

const MIB = 1024 * 1024;

describe('planFetch', () => {
  const options = { budget: 4 * MIB, maxBytesPerPartition: MIB, maxWaitMs: 100, isolationLevel: undefined, turn: 0 };

  it('gives each of few partitions an equal share of the budget, up to maxBytesPerPartition', () => {
    const plan = planFetch([0, 1, 2, 3, 4, 5, 6, 7].map((p) => newSubscription('t', p, 0)), options);
    expect(plan.topics[0]?.partitions.map((p) => p.maxBytes)).toEqual(Array.from({ length: 8 }, () => 512 * 1024));
    expect(plan.maxBytes).toBe(4 * MIB);
  });

  it('asks at least 64 KiB per partition, but the whole answer of many partitions stays within the budget', () => {
    const subscriptions = Array.from({ length: 128 }, (_, p) => newSubscription('t', p, 0));
    const plan = planFetch(subscriptions, options);
    expect(plan.topics[0]?.partitions.every((p) => p.maxBytes === 64 * 1024)).toBe(true);
    // 128 × 64 KiB is 8 MiB: the broker fills the answer up to 4 MiB in the request's order.
    expect(plan.maxBytes).toBe(4 * MIB);
  });

  it('asks for a cut batch whole, even beyond the budget', () => {
    const subscriptions = Array.from({ length: 128 }, (_, p) => newSubscription('t', p, 0));
    const big = subscriptions[5];
    if (big !== undefined) big.neededBytes = 6 * MIB;
    const plan = planFetch(subscriptions, options);
    expect(plan.topics[0]?.partitions.find((p) => p.partition === 5)?.maxBytes).toBe(6 * MIB);
    expect(plan.maxBytes).toBe(6 * MIB);
  });

  it('rotates the partition order by one per request', () => {
    const subscriptions = [0, 1, 2].map((p) => newSubscription('t', p, 0));
    expect(planFetch(subscriptions, { ...options, turn: 4 }).topics[0]?.partitions.map((p) => p.partition)).toEqual([1, 2, 0]);
  });

  it('caps the budget at 50 MiB', () => {
    expect(fetchBudget(undefined)).toBe(50 * MIB);
    expect(fetchBudget(200 * MIB)).toBe(50 * MIB);
    expect(fetchBudget(MIB)).toBe(MIB);
  });
});
