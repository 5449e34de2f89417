import { codecs, Emitter, PartitionReadError, silentLogger, TableError, View } from '@goka/core';
import type { GokaLogger, ViewState } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { startKafka } from '@goka/scripts';
import type { KafkaCluster } from '@goka/scripts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { uniqueName } from '../support/kafka.js';

/** The suite's own broker: killed and restarted, so never the shared 9092 one. */
const PORT = 19192;
const PARTITIONS = 2;

/** Resolves when `view` next enters `state` (a state-change event, not a poll), or fails after `timeoutMs`. */
function nextState(view: View<number>, state: ViewState, timeoutMs = 60_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`view ${view.topic} did not reach ${state} within ${timeoutMs} ms (now ${view.state})`));
    }, timeoutMs);
    const unsubscribe = view.onStateChange((current) => {
      if (current !== state) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** A logger that keeps the warnings (the partition tables' "will retry" lines) and drops the rest. */
function warningLog(): { readonly logger: GokaLogger; readonly warnings: string[] } {
  const warnings: string[] = [];
  return { logger: { ...silentLogger, warn: (message) => warnings.push(message) }, warnings };
}

/** How `run()` settled so far: still pending, resolved, or rejected with an error. */
interface RunOutcome {
  settled: 'pending' | 'resolved' | 'rejected';
  error: unknown;
}

function watch(run: Promise<void>): RunOutcome {
  const outcome: RunOutcome = { settled: 'pending', error: undefined };
  run.then(
    () => (outcome.settled = 'resolved'),
    (error: unknown) => {
      outcome.settled = 'rejected';
      outcome.error = error;
    },
  );
  return outcome;
}

/**
 * Goka's systemtest TestView_Reconnect: a view with auto-reconnect keeps serving its local data while
 * the broker is gone (state back to `connecting`, `run()` pending), and recovers new values once the
 * broker is back. Without auto-reconnect `run()` rejects with a typed error once the reader gives up.
 * The suite starts its own single broker on port 19192 (profile `single-19192`) next to the shared one.
 */
describe('View reconnect when its broker dies and comes back', () => {
  let broker: KafkaCluster;
  let adapter: KafkajsAdapter;

  beforeAll(async () => {
    broker = await startKafka({ nodes: 1, port: PORT, ifRunning: 'replace', log: (line) => console.log(`[kafka] ${line}`) });
    adapter = new KafkajsAdapter({
      brokers: broker.brokers,
      logger: silentLogger,
      connectionTimeout: 1000,
      requestTimeout: 5000,
      readerRetryTimeoutMs: 1500,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
  }, 150_000);

  afterAll(async () => {
    if (broker === undefined) return; // beforeAll failed and reported why
    await broker.stop();
    expect(broker.isRunning(1)).toBe(false);
  }, 60_000);

  // Tests do not depend on each other's leftovers: bring a killed broker back first.
  beforeEach(async () => {
    if (!broker.isRunning(1)) await broker.restart(1);
  }, 120_000);

  const createTable = async (): Promise<string> => {
    const table = uniqueName('view-reconnect');
    const admin = adapter.createAdmin();
    await admin.connect();
    try {
      await admin.createTopic({ topic: table, partitions: PARTITIONS, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } });
    } finally {
      await admin.disconnect();
    }
    return table;
  };

  const emitAll = async (table: string, entries: ReadonlyArray<readonly [string, number]>): Promise<void> => {
    const emitter = new Emitter(table, codecs.int64, { kafka: adapter });
    await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
    await emitter.finish();
  };

  const values = (tag: number): Array<readonly [string, number]> =>
    Array.from({ length: 10 }, (_, i) => [`key-${i}`, tag * 100 + i] as const);

  const expectValues = async (view: View<number>, tag: number): Promise<void> => {
    const got = await Promise.all(values(tag).map(([key]) => view.get(key)));
    expect(got).toEqual(values(tag).map(([, value]) => value));
  };

  it.each([
    { signal: 'SIGKILL', how: 'killed' },
    { signal: 'SIGTERM', how: 'stopped gracefully' },
  ] as const)('with autoReconnect: serves local data while the broker is $how ($signal), then recovers new values', async ({ signal }) => {
    const table = await createTable();
    await emitAll(table, values(1));
    const { logger, warnings } = warningLog();
    const view = new View(table, codecs.int64, {
      kafka: adapter,
      logger,
      autoReconnect: true,
      backoff: { step: 200, max: 1000, resetAfter: 60_000 },
    });
    const states: ViewState[] = [];
    view.onStateChange((state) => states.push(state));
    const run = view.run();
    const outcome = watch(run);
    await view.waitRunning();
    await expectValues(view, 1);

    const disconnected = nextState(view, 'connecting');
    await broker.kill(1, signal);
    await disconnected;
    expect(view.state).not.toBe('running');
    expect(view.recovered()).toBe(false);
    // The partitions keep retrying (each retry logs Goka's "will retry" line) and run() stays pending.
    await eventually(() => expect(warnings.filter((w) => w.includes('will retry')).length).toBeGreaterThanOrEqual(2 * PARTITIONS));
    await expectValues(view, 1);
    expect(outcome.settled).toBe('pending');
    expect(view.state).toBe('connecting');

    const reconnected = nextState(view, 'running');
    await broker.restart(1);
    await reconnected;
    await emitAll(table, values(2));
    await eventually(() => expectValues(view, 2));
    expect(view.state).toBe('running');
    expect(outcome.settled).toBe('pending');
    expect(states.slice(states.lastIndexOf('connecting'))).toContain('running');

    await view.stop();
    await run;
    expect(view.state).toBe('idle');
  });

  it('rides out a broker restart inside the reader retry timeout: the view never stops, and reads new values', async () => {
    const patient = new KafkajsAdapter({
      brokers: broker.brokers,
      logger: silentLogger,
      connectionTimeout: 1000,
      readerRetryTimeoutMs: 120_000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
    });
    const table = await createTable();
    await emitAll(table, values(1));
    const view = new View(table, codecs.int64, { kafka: patient, logger: silentLogger });
    const run = view.run();
    const outcome = watch(run);
    await view.waitRunning();
    await expectValues(view, 1);

    await broker.kill(1, 'SIGKILL');
    await broker.restart(1);
    await emitAll(table, values(2));
    // The reader found the broker again on its old address (fresh connection, refreshed metadata).
    await eventually(() => expectValues(view, 2));
    expect(view.state).toBe('running');
    expect(outcome.settled).toBe('pending');
    await view.stop();
    await run;
  });

  it('with autoReconnect: stop() during the outage settles run() promptly', async () => {
    const table = await createTable();
    await emitAll(table, values(1));
    const view = new View(table, codecs.int64, {
      kafka: adapter,
      logger: silentLogger,
      autoReconnect: true,
      backoff: { step: 200, max: 1000, resetAfter: 60_000 },
    });
    const run = view.run();
    await view.waitRunning();
    const disconnected = nextState(view, 'connecting');
    await broker.kill(1, 'SIGKILL');
    await disconnected;
    const stopping = Date.now();
    await view.stop();
    await run;
    expect(view.state).toBe('idle');
    expect(Date.now() - stopping).toBeLessThan(10_000);
  });

  it('without autoReconnect: run() rejects with a TableError (read) once the reader gives up', async () => {
    const table = await createTable();
    await emitAll(table, values(1));
    const view = new View(table, codecs.int64, { kafka: adapter, logger: silentLogger });
    const run = view.run();
    const outcome = watch(run);
    await view.waitRunning();
    await expectValues(view, 1);

    const killedAt = Date.now();
    await broker.kill(1, 'SIGKILL');
    const error = await run.then(
      () => new Error('run() resolved although the broker is gone'),
      (reason: unknown) => reason,
    );
    expect(outcome.settled).toBe('rejected');
    expect(error).toBeInstanceOf(TableError);
    const tableError = error as TableError;
    expect(tableError.topic).toBe(table);
    expect(tableError.operation).toBe('read');
    expect(tableError.cause).toBeInstanceOf(PartitionReadError);
    expect(tableError.message).toContain(table);
    // The reader retried for readerRetryTimeoutMs (1.5 s) before giving up: not less (kafkajs' own
    // retries giving up first), and not for its 30 s default.
    const elapsed = Date.now() - killedAt;
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(20_000);
    expect(view.state).toBe('idle');
  });
});
