import { describe, expect, it } from 'vitest';
import { planRecovery } from './recovery-plan.js';

describe('planRecovery (Goka partition_table offset-to-load)', () => {
  it('nothing stored: starts at the oldest offset', () => {
    expect(planRecovery(undefined, 0, 10)).toMatchObject({ status: 'load', start: 0 });
    expect(planRecovery(undefined, 4, 10)).toMatchObject({ status: 'load', start: 4 });
  });

  it('stored offset: starts at stored + 1', () => {
    expect(planRecovery(5, 0, 10)).toMatchObject({ status: 'load', start: 6, stored: 5 });
  });

  it('stored offset older than the oldest (compaction, retention): starts at the oldest', () => {
    expect(planRecovery(2, 7, 10)).toMatchObject({ status: 'load', start: 7 });
  });

  it('stored offset at hwm - 1: up to date, nothing to read', () => {
    expect(planRecovery(9, 0, 10)).toMatchObject({ status: 'up-to-date', start: 10 });
  });

  it('nothing stored and an empty topic: up to date', () => {
    expect(planRecovery(undefined, 0, 0)).toMatchObject({ status: 'up-to-date', start: 0 });
    expect(planRecovery(undefined, 12, 12)).toMatchObject({ status: 'up-to-date', start: 12 });
  });

  it('stored offset at or past the hwm: ahead (warn, treat as recovered at hwm)', () => {
    expect(planRecovery(10, 0, 10)).toMatchObject({ status: 'ahead', start: 10, hwm: 10 });
    expect(planRecovery(50, 0, 10)).toMatchObject({ status: 'ahead', start: 10 });
    expect(planRecovery(0, 0, 0)).toMatchObject({ status: 'ahead', start: 0 });
  });

  it('stored offset > 0 but hwm 0: the table is gone', () => {
    expect(planRecovery(3, 0, 0)).toMatchObject({ status: 'gone', stored: 3, hwm: 0 });
  });
});
