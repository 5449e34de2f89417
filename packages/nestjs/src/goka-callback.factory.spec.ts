import { codecs, Emitter, MemoryKafka, silentLogger } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Catch, Injectable, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type {
  ArgumentMetadata,
  ArgumentsHost,
  CallHandler,
  CanActivate,
  ExceptionFilter,
  ExecutionContext,
  INestApplication,
  NestInterceptor,
  PipeTransform,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { tap } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { GokaCallbackFactory } from './goka-callback.factory.js';
import { GokaMetadataAccessor } from './goka-metadata.accessor.js';
import { appended, deferred, RecordingLogger } from './test-support/signals.util.js';

class PoisonError extends Error {}

interface Seen {
  type: string;
  data: unknown;
  key: string | undefined;
  handler: string;
  className: string;
}

/** Records what an enhancer sees of the RPC context, for the test to assert. */
@Injectable()
class Journal {
  readonly intercepted: Seen[] = [];
  readonly guarded: string[] = [];
  readonly caught: Array<{ message: string; key: string | undefined }> = [];
  readonly after: string[] = [];
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  constructor(private readonly journal: Journal) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    this.journal.intercepted.push({
      type: context.getType(),
      data: rpc.getData(),
      key: rpc.getContext<ProcessContext<number>>().key,
      handler: context.getHandler().name,
      className: context.getClass().name,
    });
    return next.handle().pipe(tap(() => this.journal.after.push(String(rpc.getData()))));
  }
}

@Injectable()
class KeyGuard implements CanActivate {
  constructor(private readonly journal: Journal) {}
  canActivate(context: ExecutionContext): boolean {
    this.journal.guarded.push(context.switchToRpc().getContext<ProcessContext<number>>().key);
    return true;
  }
}

@Catch(PoisonError)
@Injectable()
class SkipPoisonFilter implements ExceptionFilter {
  constructor(private readonly journal: Journal) {}
  catch(error: PoisonError, host: ArgumentsHost): null {
    this.journal.caught.push({ message: error.message, key: host.switchToRpc().getContext<ProcessContext<number>>().key });
    return null; // handled (returning `undefined` means "not handled" to Nest)
  }
}

class UpperCasePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return value.toUpperCase();
  }
}

async function emitAll(kafka: MemoryKafka, topic: string, entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
  await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
  await emitter.finish();
}

describe('enhancers on @Input handlers', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(kafka: MemoryKafka, logger = new RecordingLogger(), ...providers: Array<new (...args: never[]) => object>): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ kafka, logger, processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 } })],
      providers: [Journal, ...providers],
    }).compile();
    const created = moduleRef.createNestApplication({ logger: false });
    await created.init();
    await created.get(GokaRegistry).waitForReady({ timeoutMs: 2000 });
    return created;
  }

  it('runs interceptors, guards and exception filters in the RPC context; a filter that returns skips the message', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('orders', { partitions: 1 });

    @Processor('orders')
    @Persist(codecs.int64)
    @UseFilters(SkipPoisonFilter)
    class OrdersProcessor {
      @Input('orders', codecs.string)
      @UseGuards(KeyGuard)
      @UseInterceptors(RecordingInterceptor)
      count(order: string, ctx: ProcessContext<number>): void {
        if (order === 'poison') throw new PoisonError(`cannot take order of ${ctx.key}`);
        ctx.setValue((ctx.value() ?? 0) + 1);
      }
    }

    app = await start(kafka, new RecordingLogger(), OrdersProcessor);
    const writes = appended(kafka, 'orders-table', 2);
    await emitAll(kafka, 'orders', [
      ['alice', 'book'],
      ['bob', 'poison'],
      ['alice', 'pen'],
    ]);
    await writes;
    const journal = app.get(Journal);
    expect(journal.intercepted).toEqual([
      { type: 'rpc', data: 'book', key: 'alice', handler: 'count', className: 'OrdersProcessor' },
      { type: 'rpc', data: 'poison', key: 'bob', handler: 'count', className: 'OrdersProcessor' },
      { type: 'rpc', data: 'pen', key: 'alice', handler: 'count', className: 'OrdersProcessor' },
    ]);
    expect(journal.guarded).toEqual(['alice', 'bob', 'alice']);
    expect(journal.after).toEqual(['book', 'pen']);
    expect(journal.caught).toEqual([{ message: 'cannot take order of bob', key: 'bob' }]);
    const registry = app.get(GokaRegistry);
    expect(await registry.getProcessor<number>('orders').get('alice')).toBe(2);
    expect(registry.status().processors['orders']?.phase).toBe('ready');
    // The skipped message is committed with the others.
    await app.close();
    app = undefined;
    expect(kafka.group('orders').offsets().get('orders')?.get(0)).toBe(3);
  });

  it('fails the processor when no filter catches the error', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('orders', { partitions: 1 });
    const logger = new RecordingLogger();

    @Processor('strict')
    @UseFilters(SkipPoisonFilter)
    class StrictProcessor {
      @Input('orders', codecs.string)
      handle(order: string): void {
        if (order === 'broken') throw new TypeError('not a poison error');
      }
    }

    app = await start(kafka, logger, StrictProcessor);
    const failed = logger.next('error', /processor "strict" failed.*not a poison error/);
    await emitAll(kafka, 'orders', [['k', 'broken']]);
    await failed;
    expect(app.get(GokaRegistry).status().processors['strict']?.phase).toBe('failed');
    expect(app.get(Journal).caught).toEqual([]);
  });

  it('resolves @Payload()/@Ctx()-style parameters through pipes', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('words', { partitions: 1 });
    const seen = deferred<[string, string]>();

    @Processor('shout')
    class ShoutProcessor {
      @Input('words', codecs.string)
      shout(word: string, ctx: ProcessContext<never>): void {
        seen.resolve([word, ctx.key]);
      }
    }
    // What @nestjs/microservices' @Payload(UpperCasePipe) and @Ctx() write on parameters 0 and 1.
    Reflect.defineMetadata(
      ROUTE_ARGS_METADATA,
      { '3:0': { index: 0, data: undefined, pipes: [UpperCasePipe] }, '6:1': { index: 1, data: undefined, pipes: [] } },
      ShoutProcessor,
      'shout',
    );

    app = await start(kafka, new RecordingLogger(), ShoutProcessor);
    await emitAll(kafka, 'words', [['w1', 'hello']]);
    expect(await seen.promise).toEqual(['HELLO', 'w1']);
  });
});

@Injectable()
class GlobalJournal extends Journal {
  readonly piped: unknown[] = [];
}

/** Records the messages a global pipe is given (type `body`, as for `@Payload()`; the context is `custom`). */
@Injectable()
class RecordingPipe implements PipeTransform<unknown, unknown> {
  constructor(private readonly journal: GlobalJournal) {}
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body') this.journal.piped.push(value);
    return value;
  }
}


@Catch()
@Injectable()
class SkipAllFilter implements ExceptionFilter {
  constructor(private readonly journal: Journal) {}
  catch(error: Error, host: ArgumentsHost): null {
    this.journal.caught.push({ message: error.message, key: host.switchToRpc().getContext<ProcessContext<number>>().key });
    return null;
  }
}

describe('global enhancers on plain @Input handlers', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  @Processor('tally')
  @Persist(codecs.int64)
  class TallyProcessor {
    @Input('words', codecs.string)
    tally(word: string, ctx: ProcessContext<number>): void {
      if (word === 'poison') throw new PoisonError(`cannot tally ${ctx.key}`);
      ctx.setValue((ctx.value() ?? 0) + 1);
    }
  }

  async function run(
    journal: GlobalJournal,
    providers: Provider[],
    configure: (app: INestApplication) => void = () => undefined,
  ): Promise<GokaRegistry> {
    const kafka = new MemoryKafka();
    kafka.createTopic('words', { partitions: 1 });
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ kafka, logger: new RecordingLogger(), processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 } }),
      ],
      providers: [{ provide: GlobalJournal, useValue: journal }, { provide: Journal, useValue: journal }, TallyProcessor, ...providers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    configure(app);
    await app.init();
    const registry = app.get(GokaRegistry);
    await registry.waitForReady({ timeoutMs: 2000 });
    const writes = appended(kafka, 'tally-table', 2);
    await emitAll(kafka, 'words', [
      ['alice', 'hello'],
      ['bob', 'poison'],
      ['alice', 'world'],
    ]);
    await writes;
    return registry;
  }

  const plainMessages = [
    { type: 'rpc', data: 'hello', key: 'alice', handler: 'tally', className: 'TallyProcessor' },
    { type: 'rpc', data: 'poison', key: 'bob', handler: 'tally', className: 'TallyProcessor' },
    { type: 'rpc', data: 'world', key: 'alice', handler: 'tally', className: 'TallyProcessor' },
  ];

  it('an APP_INTERCEPTOR, an APP_GUARD and an APP_PIPE see every message; an APP_FILTER sees the error', async () => {
    const journal = new GlobalJournal();
    const registry = await run(journal, [
      { provide: APP_INTERCEPTOR, useClass: RecordingInterceptor },
      { provide: APP_GUARD, useClass: KeyGuard },
      { provide: APP_PIPE, useClass: RecordingPipe },
      { provide: APP_FILTER, useClass: SkipAllFilter },
    ]);
    expect(journal.intercepted).toEqual(plainMessages);
    expect(journal.guarded).toEqual(['alice', 'bob', 'alice']);
    expect(journal.piped).toEqual(['hello', 'poison', 'world']);
    expect(journal.caught).toEqual([{ message: 'cannot tally bob', key: 'bob' }]);
    expect(await registry.getProcessor<number>('tally').get('alice')).toBe(2);
  });

  it('an APP_FILTER alone sees the error of a plain handler', async () => {
    const journal = new GlobalJournal();
    const registry = await run(journal, [{ provide: APP_FILTER, useClass: SkipAllFilter }]);
    expect(journal.caught).toEqual([{ message: 'cannot tally bob', key: 'bob' }]);
    expect(registry.status().processors['tally']?.phase).toBe('ready');
  });

  it('app.useGlobalInterceptors, useGlobalGuards, useGlobalPipes and useGlobalFilters apply as well', async () => {
    const journal = new GlobalJournal();
    await run(journal, [], (created) => {
      created.useGlobalInterceptors(new RecordingInterceptor(journal));
      created.useGlobalGuards(new KeyGuard(journal));
      created.useGlobalPipes(new RecordingPipe(journal));
      created.useGlobalFilters(new SkipAllFilter(journal));
    });
    expect(journal.intercepted).toEqual(plainMessages);
    expect(journal.guarded).toEqual(['alice', 'bob', 'alice']);
    expect(journal.piped).toEqual(['hello', 'poison', 'world']);
    expect(journal.caught).toEqual([{ message: 'cannot tally bob', key: 'bob' }]);
  });

  it('keeps the synchronous fast path when the application has no enhancer at all', async () => {
    async function callbackOf(providers: Provider[]): Promise<{ result: unknown }> {
      const moduleRef = await Test.createTestingModule({
        imports: [GokaModule.forRoot({ kafka: new MemoryKafka(), logger: new RecordingLogger(), manualRegistration: true })],
        providers: [GlobalJournal, { provide: Journal, useExisting: GlobalJournal }, TallyProcessor, ...providers],
      }).compile();
      const instance = moduleRef.get(TallyProcessor);
      const handlers = moduleRef.get(GokaMetadataAccessor).getHandlers(instance.tally);
      const callback = moduleRef.get(GokaCallbackFactory).create(
        { group: 'tally', className: 'TallyProcessor', instance, options: {}, edges: [], handlers: [] },
        { methodName: 'tally', metadata: handlers[0]! },
      );
      let value = 0;
      const ctx = { key: 'k', value: () => value, setValue: (next: number) => (value = next) };
      const result: unknown = callback(ctx as unknown as Parameters<typeof callback>[0], 'word');
      await result;
      expect(value).toBe(1);
      await moduleRef.close();
      return { result };
    }
    expect((await callbackOf([])).result).toBeUndefined();
    const withInterceptor = await callbackOf([{ provide: APP_INTERCEPTOR, useClass: RecordingInterceptor }]);
    expect(withInterceptor.result).toBeInstanceOf(Promise);
  });
});
