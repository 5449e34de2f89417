import type { ProcessorStats, ProcessorStatsOptions } from '@goka/core';
import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GokaRegistry } from '../../goka.registry.js';
import { deferred } from '../../test-support/signals.util.js';
import type { Deferred } from '../../test-support/signals.util.js';
import { GokaMonitorSampler } from './monitor-sampler.service.js';
import { resolveMonitorOptions } from '../monitor-options.util.js';

const graph = { loopStream: () => undefined, outputStreams: () => [], groupTable: () => undefined };

const NO_POLICY = { retried: 0, skipped: 0, deadLettered: 0 };

function stats(group: string, count: number): ProcessorStats {
  const input = { in: { count, bytes: count, lastOffset: count - 1, committed: count, hwm: count, lag: 0 } };
  const partitions = [{ partition: 0, mode: 'active' as const, state: 'running' as const, input, output: {}, callbackErrors: 0, errorPolicy: NO_POLICY, recovery: undefined }];
  return { group, state: 'running', commits: { count: 0, failed: 0, totalLatencyMs: 0, lastLatencyMs: undefined }, guarantee: 'at-least-once', callbackErrors: 0, errorPolicy: NO_POLICY, partitions, lookups: {} };
}

/** A registry whose processors answer `stats()` with the deferreds the spec resolves. */
function fakeRegistry(groups: string[]): { registry: GokaRegistry; pending: Map<string, Deferred<ProcessorStats>[]>; asked: ProcessorStatsOptions[] } {
  const pending = new Map<string, Deferred<ProcessorStats>[]>(groups.map((group) => [group, []]));
  const asked: ProcessorStatsOptions[] = [];
  const processors = groups.map((group) => ({
    group,
    className: group,
    processor: {
      graph,
      stats: (options: ProcessorStatsOptions) => {
        asked.push(options);
        const next = deferred<ProcessorStats>();
        pending.get(group)?.push(next);
        return next.promise;
      },
    },
  }));
  const registry = { describeProcessors: () => processors, describeViews: () => [] };
  return { registry: registry as unknown as GokaRegistry, pending, asked };
}

/** Resolves the oldest pending `stats()` of `group` and lets the sampler take it in. */
async function answer(pending: Map<string, Deferred<ProcessorStats>[]>, group: string, count: number): Promise<void> {
  // Microtasks only: vi.waitFor would move the faked clocks.
  for (let turn = 0; turn < 50 && pending.get(group)?.length === 0; turn += 1) await Promise.resolve();
  pending.get(group)?.shift()?.resolve(stats(group, count));
  await Promise.resolve();
}

describe('GokaMonitorSampler', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('times each processor when its own stats arrived, so a slow one does not skew the others\' rates', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const { registry, pending, asked } = fakeRegistry(['fast', 'slow']);
    const sampler = new GokaMonitorSampler(registry, resolveMonitorOptions({ hwmRefreshMs: 7000 }));
    for (const [round, count] of [[0, 0], [1, 20]] as const) {
      const sampled = sampler.sample();
      await answer(pending, 'fast', count);
      vi.advanceTimersByTime(8000); // the slow processor's high-water marks take 8 s
      await answer(pending, 'slow', count);
      await sampled;
      if (round === 0) vi.advanceTimersByTime(2000);
    }
    // fast: read at 0 and 10 s; slow: at 8 and 18 s: both 10 s apart, 20 messages → 2/s.
    expect(sampler.processor('fast')?.latest?.inputs[0]?.rate).toBe(2);
    expect(sampler.processor('slow')?.latest?.inputs[0]?.rate).toBe(2);
    expect((sampler.processor('slow')?.latest?.t ?? 0) - (sampler.processor('fast')?.latest?.t ?? 0)).toBe(8000);
    expect(asked).toContainEqual({ maxHighWatermarkAgeMs: 7000 });
  });

  it('never rejects: a failed first sample is logged and not kept, the next one is taken', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { registry, pending } = fakeRegistry(['clicks']);
    const listing = vi.spyOn(registry, 'describeProcessors');
    listing.mockImplementationOnce(() => {
      throw new Error('registry exploded');
    });
    const sampler = new GokaMonitorSampler(registry, resolveMonitorOptions({}));
    await expect(sampler.ready()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('registry exploded'));
    expect(sampler.processor('clicks')).toBeUndefined();
    const ready = sampler.ready();
    await answer(pending, 'clicks', 3);
    await ready;
    expect(sampler.processor('clicks')?.latest?.inputs[0]?.count).toBe(3);
  });

  it('samples the other processors when one processor\'s stats fail', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { registry, pending } = fakeRegistry(['broken', 'fine']);
    const sampled = sampler(registry).sample();
    await vi.waitFor(() => expect(pending.get('broken')?.length).toBe(1));
    pending.get('broken')?.shift()?.reject(new Error('no stats'));
    await answer(pending, 'fine', 5);
    await expect(sampled).resolves.toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("processor 'broken'"));
  });
});

const sampler = (registry: GokaRegistry): GokaMonitorSampler => new GokaMonitorSampler(registry, resolveMonitorOptions({}));
