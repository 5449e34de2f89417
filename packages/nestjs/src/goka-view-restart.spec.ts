import { codecs, Emitter, MemoryKafka, silentLogger, ViewNotRunningError } from '@goka/core';
import type { UpdateCallback } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaHealthIndicator } from './goka.health.js';
import { GokaHealthCheckError } from './errors/goka-health-check.error.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';
import type { GokaViewOptions } from './interfaces/goka-component-options.interface.js';
import { GokaMonitorModule } from './monitor/monitor.module.js';
import type { MonitorOverview } from './monitor/interfaces/monitor-api.interface.js';
import { RecordingLogger } from './test-support/signals.util.js';

const TABLE = 'prices';

async function emit(kafka: MemoryKafka, topic: string, key: string, value: string): Promise<void> {
  const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
  await emitter.emit(key, value);
  await emitter.finish();
}

/**
 * A view update callback that fails on the value "poison" while `broken` is set (a store that
 * cannot write, say), and applies records as the default does otherwise.
 */
function breakableTable(): { updateCallback: UpdateCallback; broken: boolean } {
  const table = {
    broken: true,
    updateCallback: (async (_context, storage, key, value) => {
      if (table.broken && value?.toString() === 'poison') throw new Error(`disk full while writing "${key}"`);
      if (value === null) await storage.delete(key);
      else await storage.set(key, value);
    }) satisfies UpdateCallback,
  };
  return table;
}

describe('GokaModule views that stay up', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startApp(options: Partial<GokaModuleOptions>, view: GokaViewOptions, monitor = false): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ logger: false, ...options }),
        GokaModule.registerView({ table: TABLE, codec: codecs.string, options: view }),
        ...(monitor ? [GokaMonitorModule.forRoot({ intervalMs: 60_000, metrics: { registry: new Registry() } })] : []),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    cleanups.push(() => app.close());
    await app.init();
    return app;
  }

  it('restarts a failed view by default: DOWN with its error (health, View.get, monitor) while failed, serving and UP after', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic(TABLE, { partitions: 2, config: { 'cleanup.policy': 'compact' } });
    const logger = new RecordingLogger();
    const table = breakableTable();
    // Only the backoff is shortened for the test; autoReconnect is the module's default.
    const app = await startApp({ kafka, logger, viewDefaults: { backoff: { step: 20, max: 20 } } }, { updateCallback: table.updateCallback }, true);
    const registry = app.get(GokaRegistry);
    const health = app.get(GokaHealthIndicator);
    const view = registry.getView<string>(TABLE);
    await registry.waitForReady({ timeoutMs: 10_000 });
    await emit(kafka, TABLE, 'apple', '1.20');

    // The poison record ends the run; the module restarts it, and every restart meets it again while broken.
    await emit(kafka, TABLE, 'pear', 'poison');
    expect(await logger.next('error', /view of "prices" failed; restarting it in \d+ ms \(restart 2;/)).toContain(
      'disk full while writing "pear"',
    );
    const down = health.check();
    expect(down).toMatchObject({ goka: { status: 'down', views: { [TABLE]: { error: expect.stringContaining('disk full while writing "pear"') } } } });
    expect(down['goka']?.views[TABLE]).toMatchObject({ phase: 'failed', state: 'idle' });
    const unhealthy = await health.isHealthy().catch((error: unknown) => error);
    expect(unhealthy).toBeInstanceOf(GokaHealthCheckError);
    expect((unhealthy as Error).message).toMatch(/view of "prices" is failed \(idle\): .*disk full while writing "pear"/);
    // Still before the restart's timer (only promise callbacks ran since the log line): the view is idle.
    const read = await view.get('apple').catch((error: unknown) => error);
    expect(read).toBeInstanceOf(ViewNotRunningError);
    expect(read).toMatchObject({ table: TABLE, state: 'idle', cause: expect.objectContaining({ name: 'TableError' }) });
    expect((read as Error).message).toContain('its last run failed with TableError:');
    expect((read as Error).message).toContain('disk full while writing "pear"');
    // The monitor shows the error too (failed, or restarted and not running yet).
    const overview = (await request(app.getHttpServer()).get('/goka/api/overview').expect(200)).body as MonitorOverview;
    expect(overview.ready).toBe(false);
    expect(overview.views[0]).toMatchObject({ table: TABLE, error: expect.stringContaining('disk full while writing "pear"') });

    // Fixed: the next restart gets through, nobody restarts the view by hand.
    table.broken = false;
    await registry.waitForReady({ timeoutMs: 10_000 });
    expect(await view.get('pear')).toBe('poison');
    expect(await view.get('apple')).toBe('1.20');
    expect(health.check()).toMatchObject({ goka: { status: 'up', views: { [TABLE]: { phase: 'ready', state: 'running' } } } });
    expect(health.check()['goka']?.views[TABLE]?.error).toBeUndefined();
    await expect(health.isHealthy()).resolves.toMatchObject({ goka: { status: 'up' } });
  });

  it('restarts a view that cannot start (its table topic missing) until the topic exists; waitForReady keeps waiting', async () => {
    const kafka = new MemoryKafka();
    const logger = new RecordingLogger();
    const app = await startApp({ kafka, logger, viewDefaults: { backoff: { step: 10, max: 10 } } }, {});
    const registry = app.get(GokaRegistry);
    const ready = registry.waitForReady({ timeoutMs: 10_000 });
    expect(await logger.next('error', /view of "prices" failed; restarting it in/)).toContain(`"${TABLE}"`);
    kafka.createTopic(TABLE, { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    await emit(kafka, TABLE, 'apple', '1.20');
    await ready;
    await expect(registry.getView<string>(TABLE).get('apple')).resolves.toBe('1.20');
  });

  it('leaves a failed view stopped with autoReconnect: false (per view, over the module default)', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic(TABLE, { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    const logger = new RecordingLogger();
    const table = breakableTable();
    const app = await startApp({ kafka, logger, viewDefaults: { autoReconnect: true } }, { autoReconnect: false, updateCallback: table.updateCallback });
    const registry = app.get(GokaRegistry);
    await registry.waitForReady({ timeoutMs: 10_000 });
    await emit(kafka, TABLE, 'pear', 'poison');
    expect(await logger.next('error', /view of "prices" failed; it no longer runs/)).toContain('disk full');
    table.broken = false;
    expect(registry.status().views[TABLE]).toMatchObject({ phase: 'failed', state: 'idle', error: expect.stringContaining('disk full') });
    await expect(registry.waitForReady()).rejects.toThrow(/view of "prices" failed: .*disk full/);
    expect(logger.lines.some((line) => line.message.includes('restarting'))).toBe(false);
  });
});
