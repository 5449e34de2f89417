import type { Emitter, MemoryKafka } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { register, Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GokaRegistry } from '../../goka.registry.js';
import { getEmitterToken } from '../../goka.tokens.js';
import { click, ExactCounter, kafkaWithTopics, resetVisitGate, SkippingProcessor, startMonitorApp } from '../../test-support/monitor-app.util.js';
import type { MonitorAppExtras } from '../../test-support/monitor-app.util.js';
import type { GokaMonitorMetricsRegistry } from '../interfaces/monitor-metrics-registry.interface.js';
import type { GokaMonitorModuleOptions } from '../interfaces/monitor-options.interface.js';
import type { MonitorOverview, MonitorProcessorDetail } from '../interfaces/monitor-api.interface.js';
import { GokaMonitorSampler } from '../services/monitor-sampler.service.js';

describe('GokaMonitorModule on MemoryKafka: Prometheus metrics', () => {
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
});
