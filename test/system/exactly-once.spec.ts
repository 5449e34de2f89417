import { tableName } from '@goka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { ClickWriter } from './click-writer.js';
import { allCommitted, lastCounts, miscounted, paceClicks, readCommitted, viewCounts } from './exactly-once-harness.js';
import { createTopics } from './processor-harness.js';
import { CounterProcesses } from './worker-process.js';
import type { Worker, WorkerEvent } from './worker-process.js';

/**
 * Issue 16: counting processors in separate processes on the real broker, killed, paused and
 * rebalanced while they count. Exactly-once: every key's count equals what was emitted for it, read
 * through a fresh View and through the table topic with a read_committed reader. At-least-once (Goka):
 * at least what was emitted.
 */

const PARTITIONS = 8;

const ready = (worker: Worker, what = 'ready'): Promise<void> =>
  worker.until((events) => events.some((event) => event.event === 'ready'), what);

const errors = (timeline: readonly WorkerEvent[]) => timeline.filter((event) => event.event === 'error');

/** {@link allCommitted}, failing with what the workers reported (assignments, warnings) when it times out. */
async function committedAll(brokers: readonly string[], group: string, topic: string, workers: CounterProcesses, timeoutMs: number): Promise<void> {
  try {
    await allCommitted(brokers, group, topic, timeoutMs);
  } catch (error) {
    const timeline = workers.timeline.map((event) => `${event.at} ${event.worker} ${event.event} ${event.partitions?.join(',') ?? ''} ${event.message ?? ''}`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nworkers:\n${timeline.join('\n')}`, { cause: error });
  }
}

describe('exactly-once processing on the real broker', () => {
  let processes: CounterProcesses | undefined;

  afterEach(async () => {
    await processes?.stop();
    processes = undefined;
  });

  async function setup(name: string): Promise<{ brokers: string[]; group: string; topic: string; processes: CounterProcesses }> {
    const brokers = systemBrokers();
    const group = uniqueName(name);
    const topic = uniqueName(`${name}-clicks`);
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    processes = new CounterProcesses({ brokers, group, input: topic });
    return { brokers, group, topic, processes };
  }

  /** Environment of an exactly-once worker: a transactional id that stays the same across its restarts. */
  const exactlyOnce = (group: string, name: string, extra: Record<string, string> = {}) => ({
    GOKA_GUARANTEE: 'exactly-once',
    GOKA_TRANSACTIONAL_ID: `${group}-${name}`,
    ...extra,
  });

  it(
    'counts every key exactly through five SIGKILLs of one of two processes (100,000 messages over 1,000 keys at ~2,000/s)',
    async () => {
      const { brokers, group, topic, processes: workers } = await setup('eos-chaos');
      const storage = { a: await workers.storage('a'), b: await workers.storage('b') };
      const running: Record<'a' | 'b', Worker> = {
        a: await workers.start('a', storage.a, exactlyOnce(group, 'a')),
        b: await workers.start('b', storage.b, exactlyOnce(group, 'b')),
      };
      await Promise.all([ready(running.a), ready(running.b)]);

      const clicks = new ClickWriter(brokers, topic, 1000);
      const writing = paceClicks(clicks, 100_000, 2000);
      for (let kill = 1; kill <= 5; kill++) {
        // About every 10 s of load; the restarted process keeps its store and its transactional id.
        await clicks.more(16_000);
        const victim = kill % 2 === 1 ? 'a' : 'b';
        running[victim].child.kill('SIGKILL');
        await running[victim].exited();
        running[victim] = await workers.start(victim, storage[victim], exactlyOnce(group, victim));
      }
      await writing;
      await clicks.stop();
      await committedAll(brokers, group, topic, workers, 180_000);
      expect(errors(workers.timeline)).toEqual([]);

      expect(clicks.emitted.size).toBe(1000);
      expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);
      expect(miscounted(clicks.emitted, lastCounts(await readCommitted(brokers, tableName(group))))).toEqual([]);
    },
    300_000,
  );

  it(
    'counts at least what was emitted through the same kills with at-least-once (Goka)',
    async () => {
      const { brokers, group, topic, processes: workers } = await setup('alo-chaos');
      const storage = { a: await workers.storage('a'), b: await workers.storage('b') };
      const running: Record<'a' | 'b', Worker> = {
        a: await workers.start('a', storage.a),
        b: await workers.start('b', storage.b),
      };
      await Promise.all([ready(running.a), ready(running.b)]);

      const clicks = new ClickWriter(brokers, topic, 200);
      const writing = paceClicks(clicks, 20_000, 2000);
      for (const victim of ['a', 'b'] as const) {
        await clicks.more(6000);
        running[victim].child.kill('SIGKILL');
        await running[victim].exited();
        running[victim] = await workers.start(victim, storage[victim]);
      }
      await writing;
      await clicks.stop();
      await committedAll(brokers, group, topic, workers, 120_000);
      const counts = await viewCounts(brokers, group, clicks.emitted.keys());
      for (const [key, emitted] of clicks.emitted) expect(counts.get(key) ?? 0, key).toBeGreaterThanOrEqual(emitted);
    },
    240_000,
  );

  it(
    'fences a zombie: paused past its session timeout, it commits nothing of its open transaction once resumed, reports the typed error and rejoins; counts stay exact',
    async () => {
      const { brokers, group, topic, processes: workers } = await setup('eos-zombie');
      // The zombie commits only when its partitions are revoked, so it holds uncommitted work when paused.
      const zombie = await workers.start('zombie', undefined, exactlyOnce(group, 'zombie', { GOKA_COMMIT_INTERVAL_MS: '600000' }));
      const survivor = await workers.start('survivor', undefined, exactlyOnce(group, 'survivor'));
      await Promise.all([ready(zombie), ready(survivor)]);
      const assignments = (worker: Worker) => worker.events.filter((event) => event.event === 'assigned');
      const before = assignments(survivor).length;

      const clicks = new ClickWriter(brokers, topic, 300);
      const writing = paceClicks(clicks, 24_000, 1500);
      await clicks.more(3000);
      zombie.child.kill('SIGSTOP');
      // The group evicts it (session timeout 6 s) and gives the survivor every partition.
      await survivor.until(
        (events) => events.filter((event) => event.event === 'assigned').length > before && (assignments(survivor).at(-1)?.partitions?.length ?? 0) === PARTITIONS,
        'every partition after the zombie was paused',
      );
      await clicks.more(3000);
      zombie.child.kill('SIGCONT');
      await zombie.until(
        (events) => events.some((event) => event.event === 'warn' && /transaction aborted \((CommitFailedError|ProducerFencedError)/.test(event.message ?? '')),
        'the typed error of its fenced transaction',
      );
      // It rejoined as a new member; stopped cleanly, it commits what it processed since.
      zombie.child.kill('SIGTERM');
      await zombie.exited();
      await writing;
      await clicks.stop();
      await committedAll(brokers, group, topic, workers, 180_000);
      expect(errors(workers.timeline)).toEqual([]);
      expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);
      expect(miscounted(clicks.emitted, lastCounts(await readCommitted(brokers, tableName(group))))).toEqual([]);
    },
    240_000,
  );

  it(
    'stays exact when a third instance joins and leaves while the group counts',
    async () => {
      const { brokers, group, topic, processes: workers } = await setup('eos-rebalance');
      const a = await workers.start('a', undefined, exactlyOnce(group, 'a'));
      const b = await workers.start('b', undefined, exactlyOnce(group, 'b'));
      await Promise.all([ready(a), ready(b)]);

      const clicks = new ClickWriter(brokers, topic, 500);
      const writing = paceClicks(clicks, 30_000, 2000);
      await clicks.more(8000);
      const c = await workers.start('c', undefined, exactlyOnce(group, 'c'));
      await ready(c, 'ready after joining');
      await clicks.more(8000);
      c.child.kill('SIGTERM');
      await c.exited();
      await writing;
      await clicks.stop();
      await committedAll(brokers, group, topic, workers, 120_000);
      expect(errors(workers.timeline)).toEqual([]);
      expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);
    },
    180_000,
  );
});
