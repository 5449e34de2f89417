import { codecs, Emitter, MemoryKafka, silentLogger } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Injectable, UseInterceptors } from '@nestjs/common';
import type { CallHandler, ExecutionContext, INestApplication, INestMicroservice, NestInterceptor } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from '../decorators/index.js';
import { GokaModule } from '../goka.module.js';
import { GokaRegistry } from '../goka.registry.js';
import { GokaModuleError } from '../errors/goka-module.error.js';
import { appended } from '../test-support/signals.util.js';
import { GokaTransport } from './index.js';

/** What the interceptor saw of the RPC context. */
@Injectable()
class Journal {
  readonly seen: Array<{ type: string; data: unknown; key: string; topic: string }> = [];
}

@Injectable()
class ContextInterceptor implements NestInterceptor {
  constructor(private readonly journal: Journal) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const ctx = rpc.getContext<ProcessContext<number>>();
    this.journal.seen.push({ type: context.getType(), data: rpc.getData<unknown>(), key: ctx.key, topic: ctx.topic });
    return next.handle();
  }
}

@Processor('clicks')
@Persist(codecs.int64)
class ClicksProcessor {
  @Input('clicks', codecs.string)
  @UseInterceptors(ContextInterceptor)
  count(_click: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

async function emitAll(kafka: MemoryKafka, entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
  await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
  await emitter.finish();
}

function gokaRoot(kafka: MemoryKafka, manualRegistration: boolean): ReturnType<typeof GokaModule.forRoot> {
  return GokaModule.forRoot({
    kafka,
    logger: false,
    manualRegistration,
    waitForRecovery: true,
    processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 },
  });
}

describe('GokaTransport (custom transport strategy)', () => {
  let app: INestApplication | INestMicroservice | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('createNestMicroservice: listen starts the processors (manualRegistration), enhancers get the ProcessContext, close stops gracefully', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    const moduleRef = await Test.createTestingModule({
      imports: [gokaRoot(kafka, true)],
      providers: [Journal, ContextInterceptor, ClicksProcessor],
    }).compile();
    const transport = new GokaTransport();
    const microservice = moduleRef.createNestMicroservice({ strategy: transport, logger: false });
    app = microservice;
    await microservice.init();
    const registry = microservice.get(GokaRegistry);
    expect(registry.status().processors['clicks']?.phase).toBe('created');

    await microservice.listen();
    expect(registry.status().processors['clicks']?.phase).toBe('ready');
    expect(transport.unwrap<GokaRegistry>()).toBe(registry);
    const writes = appended(kafka, 'clicks-table', 3);
    await emitAll(kafka, [
      ['alice', 'a'],
      ['alice', 'b'],
      ['bob', 'c'],
    ]);
    await writes;
    const seen = microservice.get(Journal).seen;
    expect(seen.filter(({ key }) => key === 'alice')).toEqual([
      { type: 'rpc', data: 'a', key: 'alice', topic: 'clicks' },
      { type: 'rpc', data: 'b', key: 'alice', topic: 'clicks' },
    ]);
    expect(seen).toContainEqual({ type: 'rpc', data: 'c', key: 'bob', topic: 'clicks' });

    await microservice.close();
    app = undefined;
    expect(registry.status().processors['clicks']?.phase).toBe('stopped');
    const committed = [...(kafka.group('clicks').offsets().get('clicks')?.values() ?? [])];
    expect(committed.reduce((sum, offset) => sum + offset, 0)).toBe(3);
  });

  it('connectMicroservice + startAllMicroservices runs the processors of a hybrid application', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    const moduleRef = await Test.createTestingModule({
      imports: [gokaRoot(kafka, true)],
      providers: [Journal, ContextInterceptor, ClicksProcessor],
    }).compile();
    const hybrid = moduleRef.createNestApplication({ logger: false });
    app = hybrid;
    hybrid.connectMicroservice({ strategy: new GokaTransport() });
    await hybrid.init();
    const registry = hybrid.get(GokaRegistry);
    expect(registry.status().processors['clicks']?.phase).toBe('created');
    await hybrid.startAllMicroservices();
    expect(registry.isReady()).toBe(true);
    const writes = appended(kafka, 'clicks-table', 1);
    await emitAll(kafka, [['carol', 'x']]);
    await writes;
    expect(await registry.getProcessor<number>('clicks').get('carol')).toBe(1);
    await hybrid.close();
    app = undefined;
    expect(registry.status().processors['clicks']?.phase).toBe('stopped');
    expect(kafka.group('clicks').offsets().get('clicks')?.get(0)).toBe(1);
  });

  it('reports an error from listen when no GokaModule adopted it', async () => {
    const transport = new GokaTransport();
    const error = await new Promise<unknown>((resolve) => transport.listen(resolve));
    expect(error).toBeInstanceOf(GokaModuleError);
    expect(String(error)).toMatch(/not connected to a GokaModule/);
    expect(() => transport.unwrap()).toThrow(GokaModuleError);
    expect(() => transport.on('error')).toThrow(/no events/);
  });
});
