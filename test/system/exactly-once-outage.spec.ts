import { tableName } from '@goka/core';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';
import { ClickWriter } from './click-writer.js';
import { allCommitted, lastCounts, miscounted, paceClicks, readCommitted, viewCounts } from './exactly-once-harness.js';
import { createTopics } from './processor-harness.js';
import { CounterProcesses } from './worker-process.js';
import type { Worker } from './worker-process.js';

/** The suite's own broker: restarted mid-stream, so never the shared one. */
const PORT = 19696;
const PARTITIONS = 4;

const ready = (worker: Worker): Promise<void> => worker.until((events) => events.some((event) => event.event === 'ready'), 'ready');

/**
 * Issue 16: two exactly-once counting processes keep every count exact through a broker restart
 * (data kept) in the middle of the stream: transactions that fail while the broker is away are
 * aborted and their messages processed again.
 */
describe('exactly-once processing through a broker restart', () => {
  const broker = ownBroker(PORT);
  let processes: CounterProcesses | undefined;

  afterEach(async () => {
    await processes?.stop();
  });

  it('counts every key exactly when the broker restarts mid-stream', async () => {
    const { brokers } = broker();
    const group = uniqueName('eos-restart');
    const topic = uniqueName('eos-restart-clicks');
    await createTopics(brokers, [{ topic, partitions: PARTITIONS }]);
    const workers = (processes = new CounterProcesses({ brokers, group, input: topic }));
    const exactlyOnce = (name: string) => ({ GOKA_GUARANTEE: 'exactly-once', GOKA_TRANSACTIONAL_ID: `${group}-${name}` });
    const a = await workers.start('a', undefined, exactlyOnce('a'));
    const b = await workers.start('b', undefined, exactlyOnce('b'));
    await Promise.all([ready(a), ready(b)]);

    const clicks = new ClickWriter(brokers, topic, 200);
    const writing = paceClicks(clicks, 16_000, 1000);
    await clicks.more(5000);
    await broker().kill(1, 'SIGTERM');
    await broker().restart(1);
    await writing;
    await clicks.stop();
    try {
      await allCommitted(brokers, group, topic, 180_000);
    } catch (error) {
      const timeline = workers.timeline.map((event) => `${event.at} ${event.worker} ${event.event} ${event.partitions?.join(',') ?? ''} ${event.message ?? ''}`);
      throw new Error(`${String(error)}\nworkers:\n${timeline.join('\n')}`, { cause: error });
    }
    expect(workers.timeline.filter((event) => event.event === 'error')).toEqual([]);
    expect(clicks.emitted.size).toBe(200);
    expect(miscounted(clicks.emitted, await viewCounts(brokers, group, clicks.emitted.keys()))).toEqual([]);
    expect(miscounted(clicks.emitted, lastCounts(await readCommitted(brokers, tableName(group))))).toEqual([]);
  });
});
