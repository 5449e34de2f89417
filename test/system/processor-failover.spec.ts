import { codecs, silentLogger, View } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { ClickWriter } from './click-writer.js';
import { createTopics } from './processor-harness.js';
import { CounterProcesses } from './worker-process.js';
import type { Worker, WorkerEvent } from './worker-process.js';

const PARTITIONS = 12;
const KEYS = 100;

/** Each worker's current partitions at every point of the merged timeline where two workers run. */
function checkTimeline(timeline: readonly WorkerEvent[]): { bothRunning: number } {
  const current = new Map<string, number[] | undefined>();
  let bothRunning = 0;
  for (const event of [...timeline].sort((a, b) => a.at - b.at)) {
    if (event.event === 'assigned') current.set(event.worker, event.partitions ?? []);
    if (event.event === 'revoked' || event.event === 'error' || event.event === 'killed') current.set(event.worker, undefined);
    const held = [...current.values()].filter((p): p is number[] => p !== undefined);
    const all = held.flat();
    expect(new Set(all).size, `partitions held twice at ${event.at}: ${JSON.stringify([...current])}`).toBe(all.length);
    if (held.length === 2) {
      bothRunning += 1;
      expect(all.sort((a, b) => a - b), `partitions missing at ${event.at}`).toEqual(
        Array.from({ length: PARTITIONS }, (_, i) => i),
      );
    }
  }
  return { bothRunning };
}

describe('two processor processes over 12 partitions, one killed mid-stream', () => {
  let processes: CounterProcesses | undefined;

  afterAll(async () => {
    await processes?.stop();
  });

  it('loses no update: the survivor takes over and every key counts at least what was emitted', async () => {
    const brokers = systemBrokers();
    const group = uniqueName('failover');
    const topic = uniqueName('failover-clicks');
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    const counters = new CounterProcesses({ brokers, group, input: topic });
    processes = counters;
    const { timeline } = counters;
    const start = (name: string): Promise<Worker> => counters.start(name);

    const clicks = new ClickWriter(brokers, topic, KEYS);

    const a = await start('worker-a');
    await a.until((events) => events.some((e) => e.event === 'ready'), 'ready');
    await clicks.burst(1000);

    // From here on an emitter writes all the time: through the rebalance onto two members, the kill of
    // one of them, and the survivor's takeover.
    clicks.start(100);
    const b = await start('worker-b');
    await b.until((events) => events.some((e) => e.event === 'ready'), 'ready');
    await a.until((events) => events.filter((e) => e.event === 'assigned').length >= 2, 'second assignment');
    await clicks.more(2000);

    b.child.kill('SIGKILL');
    await b.exited();
    timeline.push({ worker: b.name, event: 'killed', at: Date.now() });
    const afterKill = clicks.more(1000);
    await a.until(
      (events) => events.some((e) => e.event === 'assigned' && e.partitions?.length === PARTITIONS && e.at > (b.events.at(-1)?.at ?? 0)),
      'takeover of all partitions',
    );
    await afterKill;
    await clicks.more(1000);
    await clicks.stop();

    const view = new View(`${group}-table`, codecs.int64, {
      kafka: new KafkajsAdapter({ brokers, logger: silentLogger }),
      logger: silentLogger,
    });
    const viewing = view.run();
    await view.waitRunning();
    await eventually(
      async () => {
        for (const [key, count] of clicks.emitted) expect(await view.get(key), key).toBeGreaterThanOrEqual(count);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    await view.stop();
    await viewing;

    expect(clicks.emitted.size).toBe(KEYS);
    expect([...clicks.emitted.values()].reduce((sum, n) => sum + n, 0)).toBe(clicks.total);
    expect(checkTimeline(timeline).bothRunning).toBeGreaterThan(0);
    expect(timeline.filter((e) => e.event === 'error')).toEqual([]);
  });
});
