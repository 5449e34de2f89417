import { codecs, Emitter, MemoryKafka, Processor as GokaProcessor, silentLogger } from '@goka/core';
import { Controller, Get, Injectable, Module, Param } from '@nestjs/common';
import type { INestApplication, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InjectProcessor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { getProcessorToken } from './goka.tokens.js';
import { ComponentNotFoundError } from './errors/component-not-found.error.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import { appended, deferred } from './test-support/signals.util.js';
import { ClicksProcessor } from './test-support/quick-start.example.js';

// The quick start is a complete main.ts: keep its bootstrap() from creating and listening an app.
vi.mock('@nestjs/core', async (importOriginal) =>
  (await import('./test-support/no-bootstrap.util.js')).withoutBootstrap(await importOriginal<object>()));

@Controller('stats')
class StatsController {
  constructor(@InjectProcessor('clicks') private readonly processor: GokaProcessor<number>) {}

  @Get(':user')
  async clicks(@Param('user') user: string): Promise<{ group: string; clicks: number }> {
    return { group: this.processor.group, clicks: (await this.processor.get(user)) ?? 0 };
  }
}

@Module({ imports: [GokaModule.forFeature({ processors: [ClicksProcessor] })], controllers: [StatsController] })
class ClicksModule {}

describe('@InjectProcessor with GokaModule.forFeature', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(kafka: MemoryKafka, imports: Type[] = [ClicksModule], providers: Type[] = []): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ kafka, logger: false, waitForRecovery: true, processorDefaults: { initialOffset: 'oldest' } }),
        ...imports,
      ],
      providers,
    }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    await created.init();
    return created;
  }

  it('injects the running Processor of a group declared by forFeature; a controller reads its table', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    app = await start(kafka);
    const processor = app.get<GokaProcessor<number>>(getProcessorToken('clicks'));
    expect(processor).toBeInstanceOf(GokaProcessor);
    expect(processor.group).toBe('clicks');
    expect(processor.state).toBe(app.get(GokaRegistry).getProcessor('clicks').state);
    const written = appended(kafka, 'clicks-table', 2);
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    await emitter.emit('alice', 'x');
    await emitter.emit('alice', 'y');
    await emitter.finish();
    await written;
    await request(app.getHttpServer()).get('/stats/alice').expect(200, { group: 'clicks', clicks: 2 });
  });

  it('provides handles of groups declared elsewhere with { groups }, usable from onApplicationBootstrap', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    const seen = deferred<string>();
    @Injectable()
    class Watcher implements OnApplicationBootstrap {
      constructor(@InjectProcessor('clicks') private readonly processor: GokaProcessor<number>) {
        // Before the module initialized: methods can be taken, getters name the group.
        expect(typeof this.processor.get).toBe('function');
        expect(() => this.processor.state).toThrow(ComponentNotFoundError);
        expect(() => this.processor.state).toThrow(/group "clicks" does not exist yet/);
      }
      onApplicationBootstrap(): void {
        seen.resolve(this.processor.group);
      }
    }
    @Module({ imports: [GokaModule.forFeature({ groups: ['clicks'] })], providers: [Watcher] })
    class WatchModule {}
    app = await start(kafka, [WatchModule], [ClicksProcessor]);
    await expect(seen.promise).resolves.toBe('clicks');
  });

  it('rejects a class without @Processor at module definition time', () => {
    class Plain {
      readonly kind = 'not a processor';
    }
    expect(() => GokaModule.forFeature({ processors: [Plain] })).toThrow(GokaOptionsError);
    expect(() => GokaModule.forFeature({ processors: [Plain] })).toThrow(/Plain, which is not decorated with @Processor/);
  });
});

