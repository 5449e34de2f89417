import type { Emitter, MemoryKafka } from '@goka/core';
import { Injectable, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GokaOrchestrator } from '../goka.orchestrator.js';
import { GokaRegistry } from '../goka.registry.js';
import { getEmitterToken } from '../goka.tokens.js';
import { click, DenyWithoutToken, GreeterProcessor, kafkaWithTopics, resetVisitGate, startMonitorApp } from '../test-support/monitor-app.util.js';
import type { MonitorAppExtras } from '../test-support/monitor-app.util.js';
import type { GokaMonitorModuleOptions } from './interfaces/monitor-options.interface.js';
import type { MonitorOverview, MonitorProcessorDetail } from './interfaces/monitor-api.interface.js';
import { GokaMonitorModule } from './monitor.module.js';
import { resolveMonitorOptions } from './monitor-options.util.js';
import { GokaMonitorSampler } from './services/monitor-sampler.service.js';

describe('GokaMonitorModule on MemoryKafka: mounting, options, pages, health, lookups', () => {
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

  it('reports health through Terminus: 503 naming the processor and view that are not ready, 200 once they are', async () => {
    app = await start(kafkaWithTopics(), {}, { manual: true });
    const server = app.getHttpServer();
    const down = await request(server).get('/goka/api/health').expect(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { goka: { status: 'down', message: 'Goka is not ready: processor "clicks" is created (idle); view of "clicks-table" is created (idle)' } },
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
  it('refuses invalid options at startup', async () => {
    await expect(start(kafkaWithTopics(), { intervalMs: 0 })).rejects.toThrow(/"intervalMs" must be a positive integer/);
    app = undefined;
    expect(() => GokaMonitorModule.forRoot({ metrics: { path: '' } })).toThrow(/metrics.path/);
    expect(() => resolveMonitorOptions({ hwmRefreshMs: -1 })).toThrow(/"hwmRefreshMs" must be a positive integer, got -1/);
    expect(resolveMonitorOptions({}).hwmRefreshMs).toBe(10_000);
    expect(resolveMonitorOptions({ intervalMs: 30_000 }).hwmRefreshMs).toBe(30_000);
  });
});
