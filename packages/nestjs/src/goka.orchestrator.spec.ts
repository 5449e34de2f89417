import { codecs, Emitter, MemoryKafka, silentLogger } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaHealthIndicator } from './goka.health.js';
import { GokaHealthCheckError } from './errors/goka-health-check.error.js';
import { GokaNotReadyError } from './errors/goka-not-ready.error.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';
import { appended, deferred, RecordingLogger } from './test-support/signals.util.js';

async function emit(kafka: MemoryKafka, topic: string, key: string, value: string): Promise<void> {
  const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
  await emitter.emit(key, value);
  await emitter.finish();
}

async function startApp(options: GokaModuleOptions, ...providers: Array<new (...args: never[]) => object>): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [GokaModule.forRoot(options)], providers }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('GokaOrchestrator', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('finishes and commits the in-flight message on graceful shutdown', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('jobs', { partitions: 1 });
    const entered = deferred<AbortSignal>();
    const gate = deferred();

    @Processor('jobs')
    @Persist(codecs.string)
    class JobsProcessor {
      @Input('jobs', codecs.string)
      async work(job: string, ctx: ProcessContext<string>): Promise<void> {
        entered.resolve(ctx.signal);
        await gate.promise;
        ctx.setValue(`done ${job}`);
      }
    }

    // A long commit interval: the commit can only come from the shutdown path.
    const app = await startApp(
      { kafka, logger: false, processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 600_000 } },
      JobsProcessor,
    );
    const registry = app.get(GokaRegistry);
    await registry.waitForReady();
    await emit(kafka, 'jobs', 'job-1', 'payload');
    const signal = await entered.promise;

    const closing = app.close();
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    expect(kafka.group('jobs').offsets().get('jobs')?.get(0)).toBeUndefined();
    gate.resolve();
    await closing;

    expect(kafka.group('jobs').offsets().get('jobs')?.get(0)).toBe(1);
    expect(kafka.read('jobs-table', 0).map((record) => [record.key?.toString(), record.value?.toString()])).toEqual([
      ['job-1', 'done payload'],
    ]);
    expect(registry.status().processors['jobs']).toMatchObject({ phase: 'stopped', state: 'stopped' });
  });

  it('logs a processor that dies with its error and shows it in status, readiness and health', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('events', { partitions: 2 });
    const logger = new RecordingLogger();

    @Processor('fragile')
    class FragileProcessor {
      @Input('events', codecs.string)
      handle(event: string): void {
        if (event === 'bad') throw new Error('cannot handle "bad"');
      }
    }

    const app = await startApp({ kafka, logger, processorDefaults: { initialOffset: 'oldest' } }, FragileProcessor);
    cleanups.push(() => app.close());
    const registry = app.get(GokaRegistry);
    await registry.waitForReady();
    const failed = logger.next('error', /processor "fragile" failed/);
    await emit(kafka, 'events', 'k', 'bad');

    const line = await failed;
    expect(line).toContain('cannot handle "bad"');
    const logged = logger.lines.find((entry) => entry.message === line);
    expect(String(logged?.extra[0])).toMatch(/^\w*Error: /); // the stack
    expect(registry.status()).toMatchObject({
      ready: false,
      processors: { fragile: { phase: 'failed', error: expect.stringContaining('cannot handle "bad"') } },
    });
    expect(registry.isReady()).toBe(false);
    await expect(registry.waitForReady()).rejects.toBeInstanceOf(GokaNotReadyError);
    expect(app.get(GokaHealthIndicator).check()).toMatchObject({ goka: { status: 'down', processors: { fragile: { phase: 'failed' } } } });
    // Terminus' form names the group, its phase and state, and the error.
    const unhealthy = await app.get(GokaHealthIndicator).isHealthy().catch((caught: unknown) => caught);
    expect(unhealthy).toBeInstanceOf(GokaHealthCheckError);
    expect((unhealthy as Error).message).toMatch(/processor "fragile" is failed \(stopped\): .*cannot handle "bad"/);
  });

  it('fails the bootstrap with waitForRecovery when a processor cannot start', async () => {
    const kafka = new MemoryKafka(); // no "missing" topic

    @Processor('orphan')
    class OrphanProcessor {
      @Input('missing', codecs.string)
      handle(): void {}
    }

    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ kafka, logger: false, waitForRecovery: true })],
      providers: [OrphanProcessor],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    cleanups.push(() => app.close());
    const error: unknown = await app.init().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(GokaNotReadyError);
    expect(String(error)).toMatch(/processor "orphan" \(OrphanProcessor\) failed: .*missing/);
  });

  it('gives up waiting for a stuck processor after shutdownTimeoutMs and says so', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('slow', { partitions: 1 });
    const logger = new RecordingLogger();
    const entered = deferred();
    const gate = deferred();

    @Processor('slow')
    class SlowProcessor {
      @Input('slow', codecs.string)
      async handle(): Promise<void> {
        entered.resolve();
        await gate.promise;
      }
    }

    const app = await startApp(
      { kafka, logger, shutdownTimeoutMs: 50, processorDefaults: { initialOffset: 'oldest' } },
      SlowProcessor,
    );
    const registry = app.get(GokaRegistry);
    await registry.waitForReady();
    await emit(kafka, 'slow', 'k', 'v');
    await entered.promise;
    await app.close();
    expect(await logger.next('warn', /shutdown gave up after 50 ms waiting for processor "slow"/)).toBeTruthy();
    const stopped = registry.getProcessor('slow').states.waitFor('stopped');
    gate.resolve();
    await stopped;
  });

  it('starts the view of a local processor’s table once the processor created it', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('words', { partitions: 3 });

    @Processor('lengths')
    @Persist(codecs.int64)
    class LengthsProcessor {
      @Input('words', codecs.string)
      measure(word: string, ctx: ProcessContext<number>): void {
        ctx.setValue(word.length);
      }
    }

    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ kafka, logger: false, processorDefaults: { initialOffset: 'oldest' } }),
        GokaModule.registerView({ group: 'lengths', codec: codecs.int64 }),
      ],
      providers: [LengthsProcessor],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    cleanups.push(() => app.close());
    expect(kafka.describeTopic('lengths-table')).toBeUndefined();
    await app.init();
    const registry = app.get(GokaRegistry);
    await registry.waitForReady();
    expect(registry.status().views['lengths-table']).toMatchObject({ phase: 'ready' });
    const written = appended(kafka, 'lengths-table', 1);
    await emit(kafka, 'words', 'hello', 'hello');
    await written;
  });
});
