import { codecs, Emitter, MemoryKafka, silentLogger } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Catch, Injectable, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type {
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
import { Test } from '@nestjs/testing';
import { tap } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
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
