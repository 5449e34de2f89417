import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BACKOFF, SimpleBackoff, sleep } from './backoff.js';

describe('SimpleBackoff', () => {
  it("has Goka's defaults: step 10 s, max 120 s, reset after 60 s", () => {
    const backoff = new SimpleBackoff();
    expect([backoff.step, backoff.max, backoff.resetAfter]).toEqual([10_000, 120_000, 60_000]);
    expect(DEFAULT_BACKOFF).toEqual({ step: 10_000, max: 120_000, resetAfter: 60_000 });
  });

  it('progresses 0, step, 2·step, ... up to max, then stays at max', () => {
    const backoff = new SimpleBackoff();
    const waits = Array.from({ length: 15 }, () => backoff.duration());
    expect(waits).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 120, 120].map((s) => s * 1000));
  });

  it('does not step past max when max is not a multiple of step', () => {
    const backoff = new SimpleBackoff({ step: 3, max: 7 });
    expect([1, 2, 3, 4, 5].map(() => backoff.duration())).toEqual([0, 3, 6, 6, 6]);
  });

  it('reset starts over at 0', () => {
    const backoff = new SimpleBackoff({ step: 5, max: 100 });
    backoff.duration();
    backoff.duration();
    backoff.reset();
    expect([backoff.duration(), backoff.duration()]).toEqual([0, 5]);
  });

  it('rejects unusable settings', () => {
    expect(() => new SimpleBackoff({ step: -1 })).toThrow(/backoff step must be a non-negative finite number of milliseconds, got -1/);
    expect(() => new SimpleBackoff({ max: Number.NaN })).toThrow(RangeError);
    expect(() => new SimpleBackoff({ resetAfter: Infinity })).toThrow(/resetAfter/);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves true after the time passed', async () => {
    vi.useFakeTimers();
    let result: boolean | undefined;
    void sleep(1000).then((value) => {
      result = value;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
  });

  it('resolves false when the signal aborts, and clears its timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(await sleep(5, controller.signal)).toBe(false);
  });
});
