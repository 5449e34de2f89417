import { codecs, Emitter, KafkaBrokersError, MemoryKafka, View } from '@goka/core';
import { Controller, Get, HttpCode, Injectable, Module, Param, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InjectEmitter, InjectView } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaOrchestrator } from './goka.orchestrator.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaHealthIndicator } from './goka.health.js';
import { getEmitterToken, getViewToken } from './goka.tokens.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import { tableWatch } from './test-support/signals.util.js';
import { ClicksProcessor } from './test-support/quick-start.example.js';

// The quick start is a complete main.ts: keep its bootstrap() from creating and listening an app.
vi.mock('@nestjs/core', async (importOriginal) =>
  (await import('./test-support/no-bootstrap.util.js')).withoutBootstrap(await importOriginal<object>()));

@Controller('clicks')
class ClicksController {
  constructor(
    @InjectView('clicks') private readonly view: View<number>,
    @InjectEmitter('clicks') private readonly emitter: Emitter<string>,
  ) {}

  @Get(':user')
  async clicks(@Param('user') user: string): Promise<{ user: string; clicks: number }> {
    return { user, clicks: (await this.view.get(user)) ?? 0 };
  }

  @Post(':user')
  @HttpCode(202)
  async click(@Param('user') user: string): Promise<void> {
    await this.emitter.emit(user, 'click');
  }
}

describe('GokaModule on MemoryKafka', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function clicksApp(kafka: MemoryKafka, watch = tableWatch()): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({
          kafka,
          logger: false,
          processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 },
          waitForRecovery: { timeoutMs: 10_000 },
        }),
        GokaModule.registerView({ group: 'clicks', codec: codecs.int64, options: { updateCallback: watch.updateCallback } }),
        GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
      ],
      providers: [ClicksProcessor],
      controllers: [ClicksController],
    }).compile();
    return moduleRef.createNestApplication({ logger: false });
  }

  it('counts clicks posted over HTTP with a decorated processor and serves them from an injected view', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 4 });
    const watch = tableWatch();
    app = await clicksApp(kafka, watch);
    await app.init(); // waitForRecovery: resolves once the processor and the view are ready
    expect(app.get(GokaRegistry).status()).toMatchObject({
      ready: true,
      processors: { clicks: { phase: 'ready', state: 'running' } },
      views: { 'clicks-table': { phase: 'ready', state: 'running' } },
    });

    const server = app.getHttpServer();
    for (const user of ['alice', 'bob', 'alice', 'alice']) await request(server).post(`/clicks/${user}`).expect(202);
    await watch.applied(4);

    await request(server).get('/clicks/alice').expect(200, { user: 'alice', clicks: 3 });
    await request(server).get('/clicks/bob').expect(200, { user: 'bob', clicks: 1 });
    await request(server).get('/clicks/carol').expect(200, { user: 'carol', clicks: 0 });
    expect(kafka.describeTopic('clicks-table')?.partitions).toHaveLength(4);
  });

  it('injects the same view and emitter instances as the registry holds', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    app = await clicksApp(kafka);
    await app.init();
    const registry = app.get(GokaRegistry);
    expect(app.get(getViewToken('clicks'))).toBe(registry.getView('clicks-table'));
    expect(registry.getView('clicks')).toBe(registry.getView('clicks-table'));
    expect(app.get(getEmitterToken('clicks'))).toBe(registry.getEmitter('clicks'));
    expect(registry.getProcessor('clicks').graph.tableTopic).toBe('clicks-table');
  });

  it('reports readiness as a Terminus-shaped health indicator', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    app = await clicksApp(kafka);
    const health = app.get(GokaHealthIndicator);
    // Before init: the view is registered (not started), processors are not discovered yet.
    expect(health.check()).toMatchObject({ goka: { status: 'down', views: { 'clicks-table': { phase: 'created' } } } });
    await expect(health.isHealthy()).rejects.toMatchObject({
      isHealthCheckError: true,
      causes: { goka: { status: 'down' } },
    });
    await app.init();
    await expect(health.isHealthy('kafka')).resolves.toMatchObject({
      kafka: { status: 'up', processors: { clicks: { phase: 'ready' } }, views: { 'clicks-table': { phase: 'ready' } } },
    });
  });

  it('takes its options from forRootAsync and views and emitters from their async forms', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    const watch = tableWatch();

    @Injectable()
    class KafkaConfig {
      readonly kafka = kafka;
    }
    @Module({ providers: [KafkaConfig], exports: [KafkaConfig] })
    class ConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRootAsync({
          imports: [ConfigModule],
          inject: [KafkaConfig],
          useFactory: (config: KafkaConfig) => ({
            kafka: config.kafka,
            logger: false,
            processorDefaults: { initialOffset: 'oldest' },
          }),
        }),
        GokaModule.registerViewAsync({
          table: 'clicks-table',
          useFactory: () => ({ codec: codecs.int64, options: { updateCallback: watch.updateCallback } }),
        }),
        GokaModule.registerEmitterAsync({
          topic: 'clicks',
          imports: [ConfigModule],
          inject: [KafkaConfig],
          useFactory: (_config: KafkaConfig) => ({ codec: codecs.string, options: { lingerMs: 0 } }),
        }),
      ],
      providers: [ClicksProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const registry = app.get(GokaRegistry);
    await registry.waitForReady({ timeoutMs: 10_000 });
    const emitter = app.get<Emitter<string>>(getEmitterToken('clicks'));
    await Promise.all([emitter.emit('dora', 'x'), emitter.emit('dora', 'y')]);
    await watch.applied(2);
    expect(await app.get<View<number>>(getViewToken('clicks-table')).get('dora')).toBe(2);
  });

  it('fails at startup without brokers or a kafka adapter', async () => {
    const compiling = Test.createTestingModule({ imports: [GokaModule.forRoot({ logger: false })] }).compile();
    await expect(compiling).rejects.toThrow(KafkaBrokersError);
    await expect(compiling).rejects.toThrow('GokaModule needs `brokers`');
    const empty = Test.createTestingModule({ imports: [GokaModule.forRoot({ brokers: [], logger: false })] }).compile();
    await expect(empty).rejects.toThrow(KafkaBrokersError);
    await expect(empty).rejects.toThrow(/needs `brokers`.* or `kafka`/);
    // Other unusable options stay GokaOptionsError.
    await expect(
      Test.createTestingModule({ imports: [GokaModule.forRoot({ kafka: new MemoryKafka(), shutdownTimeoutMs: -1, logger: false })] }).compile(),
    ).rejects.toThrow(GokaOptionsError);
  });

  it('starts nothing before GokaOrchestrator.start() with manualRegistration', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ kafka, logger: false, manualRegistration: true })],
      providers: [ClicksProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const registry = app.get(GokaRegistry);
    expect(registry.status().processors['clicks']?.phase).toBe('created');
    expect(kafka.describeTopic('clicks-table')).toBeUndefined();
    await app.get(GokaOrchestrator).start();
    await registry.waitForReady({ timeoutMs: 10_000 });
    expect(kafka.describeTopic('clicks-table')?.partitions).toHaveLength(1);
  });
});
