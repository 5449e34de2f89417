import { describe, expect, it } from 'vitest';
import { GokaRun } from './goka-run.class.js';
import type { GokaRunOutcome } from './goka-run.class.js';
import { deferred } from './test-support/signals.util.js';

describe('GokaRun', () => {
  it('without a restart policy runs once and keeps the failure', async () => {
    const run = new GokaRun();
    const settled: Array<[GokaRunOutcome, number | undefined]> = [];
    let runs = 0;
    run.start(
      async () => {
        runs += 1;
        throw new Error('boom');
      },
      (outcome, restartInMs) => settled.push([outcome, restartInMs]),
    );
    await run.settled();
    expect(runs).toBe(1);
    expect(run.outcome).toMatchObject({ ok: false, error: new Error('boom') });
    expect(run.restarting).toBe(false);
    expect(settled).toEqual([[{ ok: false, error: new Error('boom') }, undefined]]);
  });

  it('tells watchers after each settled run, once the starter heard of it', async () => {
    const run = new GokaRun({ backoff: { step: 0, max: 0, resetAfter: 60_000 } });
    const heard: string[] = [];
    run.watch(() => heard.push(`watcher: ${run.outcome?.ok === true ? 'ok' : 'failed'}, restarting ${run.restarting}`));
    let runs = 0;
    run.start(
      async () => {
        runs += 1;
        if (runs < 2) throw new Error('once');
      },
      (outcome) => heard.push(`starter: ${outcome.ok ? 'ok' : 'failed'}`),
    );
    await run.settled();
    expect(heard).toEqual(['starter: failed', 'watcher: failed, restarting true', 'starter: ok', 'watcher: ok, restarting false']);
  });

  it('with a restart policy starts a failed run again with the backoff waits, until a run ends without error', async () => {
    const run = new GokaRun({ backoff: { step: 5, max: 10, resetAfter: 60_000 } });
    const waits: Array<number | undefined> = [];
    let runs = 0;
    run.start(
      async () => {
        runs += 1;
        expect(run.outcome).toBeUndefined(); // cleared before each restart
        if (runs < 4) throw new Error(`failure ${runs}`);
      },
      (_outcome, restartInMs) => waits.push(restartInMs),
    );
    await run.settled();
    expect(runs).toBe(4);
    expect(waits).toEqual([0, 5, 10, undefined]);
    expect(run.restarts).toBe(3);
    expect(run.outcome).toEqual({ ok: true });
  });

  it('abort while waiting to restart ends the loop: settled resolves, the failure stays the outcome', async () => {
    const run = new GokaRun({ backoff: { step: 60_000, max: 60_000, resetAfter: 60_000 } });
    const waiting = deferred<number | undefined>();
    let runs = 0;
    run.start(
      async () => {
        runs += 1;
        throw new Error('down');
      },
      (_outcome, restartInMs) => {
        if (restartInMs !== undefined && restartInMs > 0) waiting.resolve(restartInMs);
      },
    );
    expect(await waiting.promise).toBe(60_000);
    expect(run.restarting).toBe(true);
    run.abort();
    await run.settled();
    expect(runs).toBe(2);
    expect(run.restarting).toBe(false);
    expect(run.outcome).toMatchObject({ ok: false, error: new Error('down') });
  });
});
