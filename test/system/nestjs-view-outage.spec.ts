import { setTimeout as delay } from 'node:timers/promises';
import { codecs, partitionFor, ViewNotRunningError } from '@goka/core';
import type { Emitter, ProcessContext, View } from '@goka/core';
import { GokaHealthIndicator, GokaModule, GokaRegistry, getEmitterToken, Input, Persist, Processor } from '@goka/nestjs';
import type { GokaModuleOptions } from '@goka/nestjs';
import { startKafka } from '@goka/scripts';
import type { KafkaCluster } from '@goka/scripts';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { kafkaClient, uniqueName } from '../support/kafka.js';
import { RateSender } from './emitter-outage-harness.js';
import { readTopic } from './processor-harness.js';

/**
 * The suite's own broker (controller on PORT + 1): stopped and restarted on the same data, so never the
 * shared one; not 19793, which is the controller port of a 19792 profile.
 */
const PORT = 19893;
const PARTITIONS = 2;
/** How long the broker stays down. */
const OUTAGE_MS = 30_000;
/** Keys of the emit load (`key-0` …), apart from the users whose clicks the test counts by hand. */
const LOAD_KEYS = 20;

/** A Nest logger that keeps the error and warn lines (to assert on, and to show when a test fails). */
class LineLogger implements LoggerService {
  readonly lines: string[] = [];
  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.lines.push(`warn ${String(message)}`);
  }
  error(message: unknown): void {
    this.lines.push(`error ${String(message)}`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Issue #14, "views that stay up", on a real broker: a Nest app with a processor and a view with
 * default options; the broker is stopped for 30 s and started again on its data. The view reports
 * not-ready (health DOWN) during the outage, keeps serving its local data, and is running again
 * afterwards — health UP, new values served — without anyone restarting it. A second case starts
 * the app while the broker is down: the view's first runs fail and the module restarts it until the
 * broker is back.
 */
describe('NestJS views across a broker outage', () => {
  let broker: KafkaCluster;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    broker = await startKafka({ nodes: 1, port: PORT, ifRunning: 'replace', log: (line) => console.log(`[kafka] ${line}`) });
  }, 150_000);

  afterAll(async () => {
    if (broker === undefined) return; // beforeAll failed and reported why
    await broker.stop();
  }, 60_000);

  beforeEach(async () => {
    if (!broker.isRunning(1)) await broker.restart(1);
  }, 120_000);

  afterEach(async () => {
    await app?.close();
    app = undefined;
  }, 60_000);

  const createTopic = async (topic: string, compact = false): Promise<void> => {
    const admin = kafkaClient(broker.brokers, 'nest-view-outage').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, configEntries: compact ? [{ name: 'cleanup.policy', value: 'compact' }] : [] }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  };

  /** Module options: only how fast the kafkajs reader gives a failing partition up (the module's, not the view's). */
  const moduleOptions = (logger: LoggerService): GokaModuleOptions => ({
    brokers: [...broker.brokers],
    logger,
    connectionTimeout: 1000,
    // A reader rides out an outage shorter than this without telling anyone; 5 s makes the view notice.
    readerRetryTimeoutMs: 5000,
    processorDefaults: { initialOffset: 'oldest' },
    shutdownTimeoutMs: 20_000,
  });

  it('a 30 s outage under 1,000 emits/s: no emit rejected, every record counted, the view DOWN meanwhile (serving local data) and UP and serving after', async () => {
    const input = uniqueName('nest-outage-clicks');
    const group = uniqueName('nest-outage');
    await createTopic(input);

    @Processor(group)
    @Persist(codecs.int64)
    class ClicksProcessor {
      @Input(input, codecs.string)
      count(_click: string, ctx: ProcessContext<number>): void {
        ctx.setValue((ctx.value() ?? 0) + 1);
      }
    }

    const logger = new LineLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ ...moduleOptions(logger), waitForRecovery: { timeoutMs: 90_000 } }),
        GokaModule.registerView({ group, codec: codecs.int64 }), // default options
        GokaModule.registerEmitter({ topic: input, codec: codecs.string }),
      ],
      providers: [ClicksProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const registry = app.get(GokaRegistry);
    const health = app.get(GokaHealthIndicator);
    const view = registry.getView<number>(group);
    const emitter = app.get<Emitter<string>>(getEmitterToken(input));
    const table = `${group}-table`;
    const users = ['alice', 'bob', 'carol', 'dave'];
    // emit() resolves once the broker acknowledged the record.
    const clickAll = async (): Promise<void> => {
      await Promise.all(users.map((user) => emitter.emit(user, 'click')));
    };
    const expectCounts = async (count: number): Promise<void> => {
      expect(await Promise.all(users.map((user) => view.get(user)))).toEqual(users.map(() => count));
    };

    await clickAll();
    await eventually(() => expectCounts(1), { timeoutMs: 60_000 });
    expect(health.check()).toMatchObject({ goka: { status: 'up' } });

    // A service under load: 1,000 emits/s over 20 keys, through the outage, never awaited by the loop.
    const sender = new RateSender(emitter, { keys: LOAD_KEYS });
    await sender.acknowledged(2_000);
    const killedAt = Date.now();
    await broker.kill(1, 'SIGTERM');
    // The view notices (its reader gives up after 5 s, auto-reconnect takes over): not ready, health DOWN.
    await eventually(() => expect(health.check()['goka']?.status).toBe('down'), { timeoutMs: OUTAGE_MS });
    const downAfter = Date.now() - killedAt;
    expect(registry.status().views[table]).toMatchObject({ phase: 'starting', state: 'connecting' });
    await expect(health.isHealthy()).rejects.toThrow(new RegExp(`view of "${table}" is starting \\(connecting\\)`));
    // For the rest of the outage (its length is the scenario, not a wait for a signal) the view
    // stays down and serves what it has.
    let checks = 0;
    while (Date.now() - killedAt < OUTAGE_MS) {
      expect(health.check()['goka']?.status).toBe('down');
      await expectCounts(1);
      checks += 1;
      await delay(Math.min(1000, Math.max(0, OUTAGE_MS - (Date.now() - killedAt))));
    }
    expect(checks).toBeGreaterThan(10);

    const restartedAt = Date.now();
    await broker.restart(1);
    const brokerBackAfter = Date.now() - restartedAt;
    await eventually(() => expect(health.check()['goka']?.status).toBe('up'), { timeoutMs: 90_000, intervalMs: 200 });
    const upAfter = Date.now() - restartedAt;
    await expect(health.isHealthy()).resolves.toMatchObject({ goka: { status: 'up' } });
    expect(registry.status()).toMatchObject({
      ready: true,
      processors: { [group]: { phase: 'ready' } },
      views: { [table]: { phase: 'ready', state: 'running' } },
    });

    // The view, which nobody restarted, follows the table again.
    await clickAll();
    await eventually(() => expectCounts(2), { timeoutMs: 60_000 });
    const servingAfter = Date.now() - restartedAt;

    // The load: nothing rejected; every emitted record is in the topic and counted by the processor.
    await sender.acknowledged(sender.outcome.emitted.length);
    const outcome = await sender.stop();
    expect(outcome.rejected.size).toBe(0);
    const written = await readTopic(broker.brokers, input);
    const inTopic = new Set(written.map((record) => record.value?.toString('utf8')));
    expect(outcome.emitted.filter((value) => !inTopic.has(value))).toEqual([]);
    const perKey = new Map<string, number>();
    for (const record of written) {
      const key = record.key?.toString('utf8') ?? '';
      if (key.startsWith('key-')) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    // Each record once (the idempotent producer), and the processor counted every one.
    const duplicated = written.length - 4 * 2 - outcome.emitted.length;
    expect(duplicated).toBe(0);
    await eventually(
      async () => {
        for (const [key, count] of perKey) expect(await view.get(key), key).toBe(count);
      },
      { timeoutMs: 60_000 },
    );
    console.log(
      `[measured] outage ${seconds(restartedAt - killedAt)}: health DOWN ${seconds(downAfter)} after the stop; ` +
        `broker back in ${seconds(brokerBackAfter)}; health UP ${seconds(upAfter)} and new values served ` +
        `${seconds(servingAfter)} after the restart began; view restarts by the module: ` +
        `${logger.lines.filter((line) => line.includes('restarting it')).length}; ` +
        `${outcome.emitted.length} emits, ${outcome.rejected.size} rejected, ${duplicated} written twice`,
    );
    expect(logger.lines.filter((line) => line.includes('no longer runs'))).toEqual([]);
  }, 300_000);

  it('a view whose first runs fail (the broker is down at start) is restarted by the module and serves once the broker is back', async () => {
    const table = uniqueName('nest-outage-prices');
    await createTopic(table, true);
    const producer = kafkaClient(broker.brokers, 'nest-view-outage').producer();
    await producer.connect();
    await producer.send({ topic: table, messages: [{ key: 'apple', value: '1.20', partition: partitionFor('apple', PARTITIONS) }] });
    await producer.disconnect();

    await broker.kill(1, 'SIGTERM');
    const logger = new LineLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot(moduleOptions(logger)), GokaModule.registerView({ table, codec: codecs.string })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const registry = app.get(GokaRegistry);
    const health = app.get(GokaHealthIndicator);
    const view: View<string> = registry.getView<string>(table);

    // Its run fails (Kafka unreachable); it is DOWN with that error and reads say why.
    await eventually(() => expect(logger.lines.some((line) => line.includes(`view of "${table}" failed; restarting it`))).toBe(true), {
      timeoutMs: 60_000,
    });
    const status = registry.status().views[table];
    expect(status?.error).toBeDefined();
    expect(health.check()).toMatchObject({ goka: { status: 'down', views: { [table]: { error: status?.error } } } });
    const read = await view.get('apple').catch((error: unknown) => error);
    expect(read).toBeInstanceOf(ViewNotRunningError);
    expect((read as Error).message).toContain('its last run failed with');
    expect((read as Error).message).toContain(String(status?.error));

    const restartedAt = Date.now();
    await broker.restart(1);
    await registry.waitForReady({ timeoutMs: 90_000 });
    await expect(view.get('apple')).resolves.toBe('1.20');
    expect(health.check()).toMatchObject({ goka: { status: 'up' } });
    const restarts = logger.lines.filter((line) => line.includes('restarting it')).length;
    expect(restarts).toBeGreaterThanOrEqual(1);
    console.log(
      `[measured] view started while the broker was down: ${restarts} restart(s), serving ` +
        `${seconds(Date.now() - restartedAt)} after the broker restart began; its error while down: ${String(status?.error)}`,
    );
  }, 300_000);
});
