import { describe, expect, it } from 'vitest';
import { CommitTracker } from './commit-tracker.js';

describe('CommitTracker', () => {
  it('commits only the contiguous completed prefix', () => {
    const tracker = new CommitTracker();
    const a = tracker.add(10, 1);
    const b = tracker.add(11, 2);
    const c = tracker.add(12, 1);
    expect(tracker.next()).toBeUndefined();
    tracker.complete(c);
    expect(tracker.next()).toBeUndefined(); // 10 and 11 are still pending
    tracker.complete(a);
    expect(tracker.next()).toBe(11);
    tracker.markCommitted(11);
    tracker.complete(b);
    expect(tracker.next()).toBeUndefined(); // b has a second side effect
    tracker.complete(b);
    expect(tracker.next()).toBe(13);
    expect(tracker.outstanding).toBe(0);
  });

  it('reports nothing new once committed, and commits messages without side effects at once', () => {
    const tracker = new CommitTracker();
    tracker.add(0, 0);
    expect(tracker.next()).toBe(1);
    tracker.markCommitted(1);
    expect(tracker.next()).toBeUndefined();
  });

  it('keeps working over many messages', () => {
    const tracker = new CommitTracker();
    const entries = Array.from({ length: 5000 }, (_, i) => tracker.add(i, 1));
    for (const entry of entries.slice(0, 4000)) tracker.complete(entry);
    expect(tracker.next()).toBe(4000);
    for (const entry of entries.slice(4000)) tracker.complete(entry);
    expect(tracker.next()).toBe(5000);
  });
});
