import { afterEach, describe, expect, it, vi } from 'vitest';
import { GokaError } from '../errors/goka-error.js';
import { SimpleBackoff } from '../util/backoff.js';
import { isRetriable, runRestarting } from './restart-loop.js';

const retriable = (message: string): GokaError => new GokaError('GOKA_PARTITION_READ', message, { retriable: true });

describe('runRestarting', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('isRetriable: only GokaErrors marked retriable', () => {
    expect(isRetriable(retriable('x'))).toBe(true);
    expect(isRetriable(new GokaError('GOKA_PARTITION_READ', 'x'))).toBe(false);
    expect(isRetriable(new Error('x'))).toBe(false);
  });

  it('retries retriable errors with the backoff waits, then resolves', async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    let attempts = 0;
    const done = runRestarting(
      async () => {
        attempts += 1;
        if (attempts <= 3) throw retriable(`fail ${attempts}`);
      },
      {
        backoff: new SimpleBackoff({ step: 100, max: 1_000, resetAfter: 10_000 }),
        signal: new AbortController().signal,
        onRetry: (_error, wait) => waits.push(wait),
      },
    );
    await vi.advanceTimersByTimeAsync(300);
    await done;
    expect(attempts).toBe(4);
    expect(waits).toEqual([0, 100, 200]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws errors that are not retriable', async () => {
    const error = new Error('bug');
    await expect(
      runRestarting(
        async () => {
          throw error;
        },
        { backoff: new SimpleBackoff(), signal: new AbortController().signal, onRetry: () => {} },
      ),
    ).rejects.toBe(error);
  });

  it('resets the backoff after an attempt ran resetAfter ms without failing', async () => {
    vi.useFakeTimers();
    const waits: number[] = [];
    const retries: number[] = [];
    let attempts = 0;
    const fail = new Array<() => void>();
    const controller = new AbortController();
    const done = runRestarting(
      () =>
        new Promise<void>((_resolve, reject) => {
          attempts += 1;
          // Attempts 1-3 fail at once; later ones fail when the test says so.
          if (attempts <= 3) reject(retriable('x'));
          else fail.push(() => reject(retriable('y')));
        }),
      {
        backoff: new SimpleBackoff({ step: 100, max: 1_000, resetAfter: 5_000 }),
        signal: controller.signal,
        onRetry: (_error, wait, count) => {
          waits.push(wait);
          retries.push(count);
        },
      },
    );
    await vi.advanceTimersByTimeAsync(300);
    expect(attempts).toBe(4);
    await vi.advanceTimersByTimeAsync(5_000); // attempt 4 runs 5 s without failing
    fail.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(waits).toEqual([0, 100, 200, 0]);
    expect(retries).toEqual([1, 2, 3, 1]);
    controller.abort();
    fail.shift()?.();
    await done;
  });

  it('an abort during the wait ends the loop quietly', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let attempts = 0;
    const done = runRestarting(
      async () => {
        attempts += 1;
        throw retriable('down');
      },
      { backoff: new SimpleBackoff({ step: 1_000 }), signal: controller.signal, onRetry: () => {} },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(2);
    controller.abort();
    await done;
    expect(vi.getTimerCount()).toBe(0);
  });
});
