import { CodecError, StorageError } from '@goka/core';
import type { MemoryKafka } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GokaRegistry } from '../goka.registry.js';
import { deferred } from '../test-support/signals.util.js';
import { click, kafkaWithTopics, resetVisitGate, startMonitorApp, visitGate } from '../test-support/monitor-app.util.js';
import type { MonitorAppExtras, Score } from '../test-support/monitor-app.util.js';
import type { GokaMonitorModuleOptions } from './interfaces/monitor-options.interface.js';
import { GokaMonitorSampler } from './services/monitor-sampler.service.js';
import type { MonitorActionStatus, MonitorOverview, MonitorProcessorDetail, MonitorQueryResult, MonitorViewDetail } from './interfaces/monitor-api.interface.js';

describe('GokaMonitorModule on MemoryKafka: overview, details, query, actions', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    resetVisitGate();
    vi.restoreAllMocks();
  });

  function start(kafka: MemoryKafka, monitor: GokaMonitorModuleOptions = {}, extra: MonitorAppExtras = {}): Promise<INestApplication> {
    return startMonitorApp((created) => (app = created), kafka, monitor, extra);
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
});
