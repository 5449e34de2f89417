import { CodecError, codecs, MemoryKafka, StorageError } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import { Injectable, Module } from '@nestjs/common';
import type { CanActivate, ExecutionContext, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { register, Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Input, Lookup, Output, Persist, Processor, Visitor } from '../decorators/index.js';
import { GokaModule } from '../goka.module.js';
import { GokaOrchestrator } from '../goka.orchestrator.js';
import { GokaRegistry } from '../goka.registry.js';
import { getEmitterToken } from '../goka.tokens.js';
import { deferred } from '../test-support/signals.util.js';
import { GokaMonitorModule } from './monitor.module.js';
import { GokaMonitorSampler } from './monitor-sampler.service.js';
import { resolveMonitorOptions } from './monitor-options.util.js';
import type { GokaMonitorMetricsRegistry } from './interfaces/monitor-metrics-registry.interface.js';
import type { GokaMonitorModuleOptions } from './interfaces/monitor-options.interface.js';
import type {
  MonitorActionStatus,
  MonitorOverview,
  MonitorProcessorDetail,
  MonitorQueryResult,
  MonitorViewDetail,
} from './monitor-api.interface.js';

interface Score {
  readonly clicks: number;
  readonly big: bigint;
}

const scoreCodec = {
  name: 'score',
  encode: (value: Score) => Buffer.from(JSON.stringify({ clicks: value.clicks, big: String(value.big) })),
  decode: (bytes: Buffer): Score => {
    const parsed = JSON.parse(bytes.toString()) as { clicks: number; big: string };
    return { clicks: parsed.clicks, big: BigInt(parsed.big) };
  },
};

/** Resolved by the `reset` visitor's first call, so a spec can hold a visit open. */
let visitGate = deferred();

@Processor('clicks')
@Persist(scoreCodec)
@Output('clicks-out', codecs.string)
class ClicksProcessor {
  @Input('clicks', codecs.string)
  count(click: string, ctx: ProcessContext<Score>): void {
    const clicks = (ctx.value()?.clicks ?? 0) + 1;
    ctx.setValue({ clicks, big: 2n ** 60n });
    ctx.emit('clicks-out', ctx.key, click);
  }

  @Visitor('reset')
  async reset(meta: { to?: number } | undefined, ctx: ProcessContext<Score>): Promise<void> {
    await visitGate.promise;
    ctx.setValue({ clicks: meta?.to ?? 0, big: 0n });
  }
}

/** A stateless processor with a lookup of the clicks table (its view shows in the processor's details). */
@Processor('greeter')
@Lookup('clicks-table', scoreCodec)
class GreeterProcessor {
  greeted = 0;

  @Input('clicks-out', codecs.string)
  greet(click: string): void {
    if (click === 'boom') throw new Error('greeter cannot greet boom');
    this.greeted += 1;
  }
}

/** Skips what it cannot greet (error policy `skip`): the monitor counts it. */
@Processor('skipper', { onError: 'skip' })
class SkippingProcessor {
  @Input('clicks-out', codecs.string)
  greet(click: string): void {
    if (click === 'boom') throw new Error('skipper skips boom');
  }
}

/** Counts clicks exactly once (Kafka transactions): the monitor shows its transactions. */
@Processor('exact', { guarantee: 'exactly-once', commitIntervalMs: 10 })
@Persist(codecs.int64)
class ExactCounter {
  @Input('clicks-out', codecs.string)
  count(_click: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

@Injectable()
class DenyWithoutToken implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
    return headers['x-token'] === 'secret';
  }
}

function kafkaWithTopics(partitions = 2): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('clicks', { partitions });
  kafka.createTopic('clicks-out', { partitions });
  return kafka;
}

describe('GokaMonitorModule on MemoryKafka', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    visitGate = deferred();
    vi.restoreAllMocks();
  });

  async function start(
    kafka: MemoryKafka,
    monitor: GokaMonitorModuleOptions = {},
    extra: { providers?: unknown[]; manual?: boolean; prefix?: string; monitorModule?: ReturnType<typeof GokaMonitorModule.forRoot> } = {},
  ): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({
          kafka,
          logger: false,
          manualRegistration: extra.manual ?? false,
          processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 },
          waitForRecovery: extra.manual === true ? false : { timeoutMs: 10_000 },
        }),
        GokaModule.registerView({ group: 'clicks', codec: scoreCodec }),
        GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
        extra.monitorModule ?? GokaMonitorModule.forRoot({ intervalMs: 60_000, metrics: { registry: new Registry() }, ...monitor }),
      ],
      providers: [ClicksProcessor, ...((extra.providers ?? []) as [])],
    }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    app = created;
    if (extra.prefix !== undefined) created.setGlobalPrefix(extra.prefix);
    await created.init();
    return created;
  }

  /** Emits `users` clicks and waits until the processor consumed them and the view applied them. */
  async function click(target: INestApplication, users: readonly string[]): Promise<void> {
    const emitter = target.get<Emitter<string>>(getEmitterToken('clicks'));
    const registry = target.get(GokaRegistry);
    const view = registry.getView<Score>('clicks-table');
    // Every user's count must reach what it was plus this call's clicks (users may repeat across calls).
    const expected = new Map<string, number>();
    for (const user of users) expected.set(user, (expected.get(user) ?? (await view.get(user))?.clicks ?? 0) + 1);
    await Promise.all(users.map((user) => emitter.emit(user, 'click')));
    for (const [user, clicks] of expected) {
      for (;;) {
        if (((await view.get(user))?.clicks ?? 0) >= clicks) break;
        const error = registry.status().processors['clicks']?.error;
        if (error !== undefined) throw new Error(error);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  it('serves the overview: processors with class, graph edges with codecs and visitors; views; metrics flag', async () => {
    app = await start(kafkaWithTopics());
    const { body } = await request(app.getHttpServer()).get('/goka/api/overview').expect(200);
    const overview = body as MonitorOverview;
    expect(overview).toMatchObject({ title: 'Goka monitor', basePath: '/goka', intervalMs: 60_000, ready: true, metrics: true });
    expect(overview.processors).toEqual([
      {
        group: 'clicks',
        className: 'ClicksProcessor',
        phase: 'ready',
        state: 'running',
        edges: [
          { kind: 'input', topic: 'clicks', codec: 'string' },
          { kind: 'table', topic: 'clicks-table', codec: 'score' },
          { kind: 'output', topic: 'clicks-out', codec: 'string' },
        ],
        partitions: { running: 2 },
        visitors: ['reset'],
      },
    ]);
    expect(overview.views).toEqual([{ table: 'clicks-table', codec: 'score', phase: 'ready', state: 'running', partitions: { running: 2 } }]);
  });

  it('serves processor and view details whose counts and rates move as messages flow', async () => {
    app = await start(kafkaWithTopics());
    const sampler = app.get(GokaMonitorSampler);
    const server = app.getHttpServer();
    await click(app, ['alice', 'bob', 'alice']);
    await sampler.sample();
    await click(app, ['carol', 'alice']);
    await sampler.sample();

    const processor = (await request(server).get('/goka/api/processors/clicks').expect(200)).body as MonitorProcessorDetail;
    expect(processor).toMatchObject({ group: 'clicks', className: 'ClicksProcessor', intervalMs: 60_000, callbackErrors: 0 });
    expect(processor.inputs).toEqual([expect.objectContaining({ topic: 'clicks', count: 5, lag: 0 })]);
    expect(processor.inputs[0]?.rate).toBeGreaterThan(0);
    expect(processor.outputs).toEqual([expect.objectContaining({ topic: 'clicks-out', count: 5 })]);
    expect(processor.partitionList.map((p) => [p.partition, p.mode, p.state])).toEqual([
      [0, 'active', 'running'],
      [1, 'active', 'running'],
    ]);
    for (const partition of processor.partitionList) {
      expect(partition.recovery).toMatchObject({ progress: 1, etaSeconds: 0 });
      expect(partition.inputs[0]).toMatchObject({ topic: 'clicks', lag: 0 });
    }
    expect(processor.series).toHaveLength(2);
    expect(processor.series.at(-1)?.inputRate).toBeGreaterThan(0);
    expect(processor.series.at(-1)?.tableRate).toBeGreaterThan(0);

    const view = (await request(server).get('/goka/api/views/clicks-table').expect(200)).body as MonitorViewDetail;
    expect(view).toMatchObject({ table: 'clicks-table', codec: 'score', phase: 'ready', state: 'running' });
    expect(view.partitionList).toHaveLength(2);
    for (const partition of view.partitionList) expect(partition).toMatchObject({ state: 'running', lag: 0, recovery: { progress: 1 } });
    expect(view.series.at(-1)?.inputRate).toBeGreaterThan(0);

    await request(server).get('/goka/api/processors/nope').expect(404, { statusCode: 404, error: 'Not Found', message: "Processor 'nope' not found (known: 'clicks')" });
    await request(server).get('/goka/api/views/nope').expect(404, { statusCode: 404, error: 'Not Found', message: "View 'nope' not found (known: 'clicks-table')" });
  });

  it('answers queries on group tables and views, JSON-safe, with clear messages for unknown sources and keys', async () => {
    app = await start(kafkaWithTopics());
    const server = app.getHttpServer();
    await click(app, ['alice', 'alice']);
    await request(server)
      .get('/goka/api/query')
      .expect(200, {
        sources: [
          { name: 'clicks', kind: 'processor', table: 'clicks-table', codec: 'score' },
          { name: 'clicks-table', kind: 'view', table: 'clicks-table', codec: 'score' },
        ],
      });
    for (const source of ['clicks', 'clicks-table']) {
      const found = (await request(server).get(`/goka/api/query/${source}`).query({ key: 'alice' }).expect(200)).body as MonitorQueryResult;
      expect(found).toEqual({
        source,
        key: 'alice',
        found: true,
        value: { clicks: 2, big: '1152921504606846976' },
        text: '{\n  "clicks": 2,\n  "big": "1152921504606846976"\n}',
      });
    }
    await request(server)
      .get('/goka/api/query/clicks')
      .query({ key: 'zoe' })
      .expect(200, { source: 'clicks', key: 'zoe', found: false, text: "Key 'zoe' not found in 'clicks'" });
    await request(server)
      .get('/goka/api/query/nope')
      .query({ key: 'zoe' })
      .expect(404, { statusCode: 404, error: 'Not Found', message: "Source 'nope' not found (known: 'clicks', 'clicks-table')" });
    const missing = await request(server).get('/goka/api/query/clicks').expect(400);
    expect(missing.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('?key=') });
    await request(server)
      .get('/goka/api/query/clicks?key=alice&key=bob')
      .expect(400, { statusCode: 400, error: 'Bad Request', message: "Give one key to look up in 'clicks', not 2 (?key= appears 2 times)" });
  });

  it('answers 422 naming source, key, codec and cause when a value does not decode or the storage fails', async () => {
    app = await start(kafkaWithTopics());
    const server = app.getHttpServer();
    await click(app, ['alice']);
    const registry = app.get(GokaRegistry);
    vi.spyOn(registry.getView('clicks-table'), 'get').mockRejectedValueOnce(
      CodecError.wrap(new SyntaxError('Unexpected token x in JSON'), { operation: 'decode', codec: 'score', topic: 'clicks-table', key: 'alice' }),
    );
    const decode = await request(server).get('/goka/api/query/clicks-table').query({ key: 'alice' }).expect(422);
    expect(decode.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect((decode.body as { message: string }).message).toMatch(
      /^The value of key 'alice' in 'clicks-table' cannot be read \(codec 'score'\): .*Unexpected token x in JSON/,
    );
    vi.spyOn(registry.getProcessor('clicks'), 'get').mockRejectedValueOnce(
      StorageError.failed({ topic: 'clicks-table', partition: 0 }, 'get', new Error('disk on fire')),
    );
    const storage = await request(server).get('/goka/api/query/clicks').query({ key: 'alice' }).expect(422);
    expect((storage.body as { message: string }).message).toMatch(/^The value of key 'alice' in 'clicks' cannot be read \(codec 'score'\): .*disk on fire/);
  });

  it('runs visitors and app actions: start, 409 while running, stop, last error, runs', async () => {
    const appRun = deferred<string>();
    app = await start(kafkaWithTopics(1), {
      actions: [
        {
          name: 'wait',
          description: 'waits until stopped',
          run: (_value, signal) =>
            new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
        },
        { name: 'echo', run: (value) => appRun.resolve(value ?? '') },
        {
          name: 'fail',
          run: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    const server = app.getHttpServer();
    await click(app, ['alice', 'bob']);

    const listed = (await request(server).get('/goka/api/actions').expect(200)).body as MonitorActionStatus[];
    expect(listed.map((action) => action.name)).toEqual(['clicks.reset', 'wait', 'echo', 'fail']);
    expect(listed[0]).toMatchObject({ running: false, runs: 0, description: expect.stringContaining("visitAll('reset')") });

    const started = (await request(server).post('/goka/api/actions/clicks.reset/start').send({ value: '{"to":7}' }).expect(200))
      .body as MonitorActionStatus;
    expect(started).toMatchObject({ name: 'clicks.reset', running: true, runs: 1, value: '{"to":7}' });
    await request(server)
      .post('/goka/api/actions/clicks.reset/start')
      .send({})
      .expect(409, { statusCode: 409, error: 'Conflict', message: "Action 'clicks.reset' is already running" });
    visitGate.resolve();
    const view = app.get(GokaRegistry).getView<Score>('clicks-table');
    let done: MonitorActionStatus | undefined;
    for (;;) {
      done = (await request(server).get('/goka/api/actions').expect(200)).body[0] as MonitorActionStatus;
      if (!done.running) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(done).toMatchObject({ running: false, result: '2', runs: 1 });
    expect(done.lastError).toBeUndefined();
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt ?? Infinity);
    for (;;) {
      if ((await view.get('bob'))?.clicks === 7) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }

    await request(server)
      .post('/goka/api/actions/wait/stop')
      .send({})
      .expect(409, { statusCode: 409, error: 'Conflict', message: "Action 'wait' is not running" });
    await request(server).post('/goka/api/actions/wait/start').send({}).expect(200);
    const stopped = (await request(server).post('/goka/api/actions/wait/stop').send({}).expect(200)).body as MonitorActionStatus;
    expect(stopped).toMatchObject({ running: false, lastError: "Action 'wait' was stopped", runs: 1 });

    await request(server).post('/goka/api/actions/echo/start').send({ value: 'hi' }).expect(200);
    await expect(appRun.promise).resolves.toBe('hi');

    await request(server).post('/goka/api/actions/fail/start').send({}).expect(200);
    let failed: MonitorActionStatus | undefined;
    for (;;) {
      failed = ((await request(server).get('/goka/api/actions').expect(200)).body as MonitorActionStatus[]).find((a) => a.name === 'fail');
      if (failed?.running === false) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(failed).toMatchObject({ lastError: 'boom', runs: 1 });

    await request(server)
      .post('/goka/api/actions/nope/start')
      .send({})
      .expect(404, { statusCode: 404, error: 'Not Found', message: "Action 'nope' not found (known: 'clicks.reset', 'wait', 'echo', 'fail')" });
  });

  it('refuses action posts that are not JSON (a cross-site form cannot start or stop actions)', async () => {
    let runs = 0;
    app = await start(kafkaWithTopics(1), { actions: [{ name: 'count', run: () => (runs += 1) }] });
    const server = app.getHttpServer();
    const form = await request(server).post('/goka/api/actions/count/start').type('form').send('value=1').expect(415);
    expect((form.body as { message: string }).message).toBe(
      'POST actions/count/start needs Content-Type: application/json (got application/x-www-form-urlencoded); ' +
        'form posts are refused so that another site cannot start or stop actions (CSRF)',
    );
    await request(server).post('/goka/api/actions/count/start').set('content-type', 'text/plain').send('{"value":"1"}').expect(415);
    await request(server).post('/goka/api/actions/count/stop').expect(415);
    expect(runs).toBe(0);
    await request(server).post('/goka/api/actions/count/start').set('content-type', 'application/json; charset=utf-8').send('{}').expect(200);
    expect(runs).toBe(1);
  });

  it('answers 400 for an action value that is not text, instead of running it with "[object Object]"', async () => {
    const values: Array<string | undefined> = [];
    app = await start(kafkaWithTopics(1), { actions: [{ name: 'record', run: (value) => void values.push(value) }] });
    const server = app.getHttpServer();
    const refused = await request(server).post('/goka/api/actions/record/start').send({ value: { to: 7 } }).expect(400);
    expect(refused.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        "The value of action 'record' must be text (a JSON string), got an object; " +
        'send structured input as JSON text: {"value": "{\\"to\\":7}"}',
    });
    await request(server).post('/goka/api/actions/record/start').send({ value: 7 }).expect(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: "The value of action 'record' must be text (a JSON string), got a number; send structured input as JSON text: {\"value\": \"7\"}",
    });
    await request(server).post('/goka/api/actions/record/start').send({ value: ['a'] }).expect(400);
    expect(((await request(server).get('/goka/api/actions/').expect(200)).body as MonitorActionStatus[])[0]).toMatchObject({ runs: 0 });
    expect(values).toEqual([]);

    await request(server).post('/goka/api/actions/record/start').send({ value: '{"to":7}' }).expect(200);
    await request(server).post('/goka/api/actions/record/start').send({ value: null }).expect(200);
    expect(values).toEqual(['{"to":7}', undefined]);
  });

  it('exposes Prometheus metrics on the given registry, with labels, and removes them on shutdown', async () => {
    const registry = new Registry();
    const kafka = kafkaWithTopics();
    app = await start(kafka, { metrics: { registry } });
    const server = app.getHttpServer();
    await click(app, ['alice', 'bob', 'alice']);
    // The commit latency gauge needs a commit: wait until the processor counted one.
    await kafka.group('clicks').whenCommitted();
    const processor = app.get(GokaRegistry).getProcessor('clicks');
    while ((await processor.stats()).commits.count === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await app.get(GokaMonitorSampler).sample();
    const response = await request(server).get('/goka/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toContain('goka_processor_consumed_messages_total{group="clicks",topic="clicks"} 3');
    expect(text).toContain('goka_processor_produced_messages_total{group="clicks",topic="clicks-out"} 3');
    expect(text).toContain('goka_processor_table_writes_total{group="clicks"} 3');
    expect(text).toMatch(/goka_processor_lag\{group="clicks",topic="clicks",partition="[01]"\} 0/);
    expect(text).toMatch(/goka_processor_partition_state\{group="clicks",partition="0",mode="active",state="running"\} 1/);
    expect(text).toMatch(/goka_processor_partition_state\{group="clicks",partition="0",mode="active",state="recovering"\} 0/);
    expect(text).toMatch(/goka_processor_recovery_progress\{group="clicks",partition="1"\} 1/);
    expect(text).toContain('goka_processor_callback_errors_total{group="clicks"} 0');
    expect(text).toMatch(/goka_processor_commit_latency_seconds_total\{group="clicks"\} [\d.e-]+/);
    expect(text).toMatch(/goka_processor_commit_latency_seconds\{group="clicks"\} [\d.e-]+/);
    expect(text).not.toMatch(/_seconds_(sum|count)/);
    expect(text).toContain('goka_processor_ready{group="clicks"} 1');
    expect(text).toContain('goka_view_state{table="clicks-table",state="running"} 1');
    expect(text).toContain('goka_view_records_total{table="clicks-table"} 3');
    expect(text).toMatch(/goka_view_lag\{table="clicks-table",partition="0"\} 0/);
    expect(await registry.getMetricsAsJSON()).not.toHaveLength(0);
    expect(register.getSingleMetric('goka_processor_lag')).toBeUndefined();
    await app.close();
    app = undefined;
    expect(await registry.getMetricsAsJSON()).toHaveLength(0);
  });

  it('refuses a registry that still has its metrics, naming an application that was not closed', async () => {
    const registry = new Registry();
    const first = await start(kafkaWithTopics(), { metrics: { registry } });
    await expect(start(kafkaWithTopics(), { metrics: { registry } })).rejects.toThrow(
      /already has one of that name .*or a previous application with a monitor on this registry was not closed \(call app\.close\(\)/,
    );
    await first.close();
  });

  it('takes any registry with the few methods it needs (its public types do not need prom-client)', async () => {
    const inner = new Registry();
    const registry: GokaMonitorMetricsRegistry = {
      getSingleMetric: (name) => inner.getSingleMetric(name),
      registerMetric: (metric) => inner.registerMetric(metric as Parameters<Registry['registerMetric']>[0]),
      removeSingleMetric: (name) => inner.removeSingleMetric(name),
      metrics: () => inner.metrics(),
      contentType: inner.contentType,
    };
    app = await start(kafkaWithTopics(), { metrics: { registry } });
    const response = await request(app.getHttpServer()).get('/goka/metrics').expect(200);
    expect(response.text).toContain('goka_processor_ready{group="clicks"} 1');
  });

  it('uses the global prom-client register by default, with a prefix, and serves no metrics route when told', async () => {
    app = await start(kafkaWithTopics(), { metrics: { prefix: 'app_goka_', path: false } });
    expect(register.getSingleMetric('app_goka_processor_lag')).toBeDefined();
    await request(app.getHttpServer()).get('/goka/metrics').expect(404);
    const overview = (await request(app.getHttpServer()).get('/goka/api/overview').expect(200)).body as MonitorOverview;
    expect(overview.metrics).toBe(false);
    expect(await register.metrics()).toContain('app_goka_processor_ready{group="clicks"} 1');
    await app.close();
    app = undefined;
    expect(register.getSingleMetric('app_goka_processor_lag')).toBeUndefined();
  });

  it('reports health through Terminus: 503 naming the processor that is not ready, 200 once it is', async () => {
    app = await start(kafkaWithTopics(), {}, { manual: true });
    const server = app.getHttpServer();
    const down = await request(server).get('/goka/api/health').expect(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { goka: { status: 'down', message: "processor 'clicks' is created (idle)" } },
    });
    const registry = app.get(GokaRegistry);
    await app.get(GokaOrchestrator).start();
    await registry.waitForReady({ timeoutMs: 10_000 });
    const up = await request(server).get('/goka/api/health').expect(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { goka: { status: 'up', processors: { clicks: { phase: 'ready' } } } } });
  });

  it('is mounted under the configured path and protected by the app\'s global guards', async () => {
    app = await start(kafkaWithTopics(), { path: '/admin/monitor/', title: 'Clicks' }, { providers: [{ provide: APP_GUARD, useClass: DenyWithoutToken }] });
    const server = app.getHttpServer();
    await request(server).get('/admin/monitor/api/overview').expect(403);
    await request(server).get('/admin/monitor/metrics').expect(403);
    const { body } = await request(server).get('/admin/monitor/api/overview').set('x-token', 'secret').expect(200);
    expect(body).toMatchObject({ title: 'Clicks', basePath: '/admin/monitor' });
    await request(server).get('/goka/api/overview').set('x-token', 'secret').expect(404);
  });

  it('takes its options from forRootAsync', async () => {
    @Injectable()
    class MonitorConfig {
      readonly title = 'From config';
    }
    @Module({ providers: [MonitorConfig], exports: [MonitorConfig] })
    class ConfigModule {}
    const monitorModule = GokaMonitorModule.forRootAsync({
      path: 'ops',
      metricsPath: 'prom',
      imports: [ConfigModule],
      inject: [MonitorConfig],
      useFactory: (config: MonitorConfig) => ({ title: config.title, metrics: { registry: new Registry() } }),
    });
    app = await start(kafkaWithTopics(), {}, { monitorModule });
    const server = app.getHttpServer();
    const { body } = await request(server).get('/ops/api/overview').expect(200);
    expect(body).toMatchObject({ title: 'From config', basePath: '/ops', intervalMs: 2000 });
    expect((await request(server).get('/ops/prom').expect(200)).text).toContain('goka_processor_ready');
  });

  it('serves the pages and bundled assets, telling each page where the monitor is mounted (global prefix included)', async () => {
    app = await start(kafkaWithTopics(), { title: 'Clicks & co' }, { prefix: 'backend' });
    const server = app.getHttpServer();
    for (const path of ['/backend/goka', '/backend/goka/', '/backend/goka/processors/clicks', '/backend/goka/views/clicks-table', '/backend/goka/query', '/backend/goka/actions']) {
      const page = await request(server).get(path).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/^<!doctype html>/i);
      expect(page.text).toContain('/backend/goka/assets/monitor.js');
    }
    const script = await request(server).get('/backend/goka/assets/monitor.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    const style = await request(server).get('/backend/goka/assets/monitor.css').expect(200);
    expect(style.headers['content-type']).toMatch(/^text\/css/);
    await request(server)
      .get('/backend/goka/assets/nope.js')
      .expect(404, { statusCode: 404, error: 'Not Found', message: "Asset 'nope.js' not found" });
    const { body } = await request(server).get('/backend/goka/api/overview').expect(200);
    expect(body).toMatchObject({ basePath: '/backend/goka', title: 'Clicks & co' });
  });

  it('lists a lookup edge and serves the lookup view in the processor details', async () => {
    app = await start(kafkaWithTopics(), {}, { providers: [GreeterProcessor] });
    await click(app, ['alice']);
    await app.get(GokaMonitorSampler).sample();
    const server = app.getHttpServer();
    const overview = (await request(server).get('/goka/api/overview').expect(200)).body as MonitorOverview;
    expect(overview.processors.find((processor) => processor.group === 'greeter')?.edges).toEqual([
      { kind: 'input', topic: 'clicks-out', codec: 'string' },
      { kind: 'lookup', topic: 'clicks-table', codec: 'score' },
    ]);
    const detail = (await request(server).get('/goka/api/processors/greeter').expect(200)).body as MonitorProcessorDetail;
    expect(detail.lookups).toEqual([
      expect.objectContaining({ table: 'clicks-table', codec: 'score', state: 'running', partitions: { running: 2 } }),
    ]);
    expect(detail.lookups[0]?.partitionList).toHaveLength(2);
    expect(detail.partitionList.every((partition) => partition.recovery === undefined && partition.tableRate === undefined)).toBe(true);
    await request(server)
      .get('/goka/api/query')
      .expect(200)
      .expect(({ body }) => expect((body as { sources: Array<{ name: string }> }).sources.map((source) => source.name)).toEqual(['clicks', 'clicks-table']));
  });

  it('gives a lookup view its own phase and no error when its processor failed', async () => {
    app = await start(kafkaWithTopics(), {}, { providers: [GreeterProcessor] });
    const registry = app.get(GokaRegistry);
    await app.get<Emitter<string>>(getEmitterToken('clicks')).emit('alice', 'boom');
    while (registry.status().processors['greeter']?.phase !== 'failed') await new Promise<void>((resolve) => setImmediate(resolve));
    await app.get(GokaMonitorSampler).sample();
    const detail = (await request(app.getHttpServer()).get('/goka/api/processors/greeter').expect(200)).body as MonitorProcessorDetail;
    expect(detail).toMatchObject({ phase: 'failed', error: expect.stringContaining('greeter cannot greet boom') });
    expect(detail.lookups).toHaveLength(1);
    expect(detail.lookups[0]?.error).toBeUndefined();
    expect(detail.lookups[0]?.phase).toBe(detail.lookups[0]?.state === 'running' ? 'ready' : 'stopped');
  });

  it('counts what the error policies did in the processor details and in Prometheus', async () => {
    const registry = new Registry();
    app = await start(kafkaWithTopics(), { metrics: { registry } }, { providers: [SkippingProcessor] });
    const skipper = app.get(GokaRegistry).getProcessor('skipper');
    await app.get<Emitter<string>>(getEmitterToken('clicks')).emit('alice', 'boom');
    while ((await skipper.stats()).errorPolicy.skipped === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await app.get(GokaMonitorSampler).sample();
    const detail = (await request(app.getHttpServer()).get('/goka/api/processors/skipper').expect(200)).body as MonitorProcessorDetail;
    expect(detail).toMatchObject({ phase: 'ready', callbackErrors: 1, errorPolicy: { skipped: 1, deadLettered: 0, retried: 0 } });
    const text = (await request(app.getHttpServer()).get('/goka/metrics').expect(200)).text;
    expect(text).toContain('goka_processor_error_policy_records_total{group="skipper",outcome="skipped"} 1');
    expect(text).toContain('goka_processor_error_policy_records_total{group="skipper",outcome="dead_lettered"} 0');
  });

  it('shows an exactly-once processor\'s transactions in the processor details and in Prometheus', async () => {
    const registry = new Registry();
    app = await start(kafkaWithTopics(), { metrics: { registry } }, { providers: [ExactCounter] });
    const exact = app.get(GokaRegistry).getProcessor('exact');
    await app.get<Emitter<string>>(getEmitterToken('clicks')).emit('alice', 'click');
    while (((await exact.stats()).transactions?.committed ?? 0) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await app.get(GokaMonitorSampler).sample();
    const detail = (await request(app.getHttpServer()).get('/goka/api/processors/exact').expect(200)).body as MonitorProcessorDetail;
    expect(detail).toMatchObject({ guarantee: 'exactly-once', transactions: { aborted: 0 } });
    expect(detail.transactions?.committed).toBeGreaterThanOrEqual(1);
    const text = (await request(app.getHttpServer()).get('/goka/metrics').expect(200)).text;
    expect(text).toContain('goka_processor_exactly_once{group="exact"} 1');
    expect(text).toMatch(/goka_processor_transactions_total\{group="exact",outcome="committed"\} [1-9]/);
    expect(text).toContain('goka_processor_transactions_total{group="exact",outcome="aborted"} 0');
  });

  it('refuses invalid options at startup', async () => {
    await expect(start(kafkaWithTopics(), { intervalMs: 0 })).rejects.toThrow(/"intervalMs" must be a positive integer/);
    app = undefined;
    expect(() => GokaMonitorModule.forRoot({ metrics: { path: '' } })).toThrow(/metrics.path/);
    expect(() => resolveMonitorOptions({ hwmRefreshMs: -1 })).toThrow(/"hwmRefreshMs" must be a positive integer, got -1/);
    expect(resolveMonitorOptions({}).hwmRefreshMs).toBe(10_000);
    expect(resolveMonitorOptions({ intervalMs: 30_000 }).hwmRefreshMs).toBe(30_000);
  });
});
