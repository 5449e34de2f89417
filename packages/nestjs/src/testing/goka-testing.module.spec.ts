import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from '../decorators/index.js';
import { GokaRegistry } from '../goka.registry.js';
import { GokaTester } from './goka-tester.js';
import { GokaTestingModule } from './goka-testing.module.js';

@Processor('orders')
@Persist(codecs.json<{ total: number }>())
class OrdersProcessor {
  @Input('orders', codecs.int64)
  add(amount: number, ctx: ProcessContext<{ total: number }>): void {
    if (amount < 0) throw new RangeError(`negative amount for ${ctx.key}`);
    ctx.setValue({ total: (ctx.value()?.total ?? 0) + amount });
  }
}

@Injectable()
class SeenInterceptor implements NestInterceptor {
  readonly seen: unknown[] = [];
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.seen.push(context.switchToRpc().getData());
    return next.handle();
  }
}

describe('GokaTestingModule', () => {
  let moduleRef: TestingModule | undefined;
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });

  it('creates the topics with the partitions asked for, runs the processors and commits', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [GokaTestingModule.forRoot({ partitions: 3 })],
      providers: [OrdersProcessor],
    }).compile();
    await moduleRef.init();
    const goka = moduleRef.get(GokaTester);
    expect(goka.tester.kafka.describeTopic('orders')?.partitions).toHaveLength(3);
    await goka.consume('orders', 'alice', 5);
    await goka.consume('orders', 'bob', 1);
    await goka.consume('orders', 'alice', 7);
    expect(goka.tableValue('orders-table', 'alice')).toEqual({ total: 12 });
    expect(goka.tableKeys('orders-table')).toEqual(['alice', 'bob']);
    await goka.waitForCommits();
    const committed = [...(goka.tester.kafka.group('orders').offsets().get('orders')?.values() ?? [])];
    expect(committed.reduce((sum, offset) => sum + offset, 0)).toBe(3);
    expect(await moduleRef.get(GokaRegistry).getProcessor('orders').get('alice')).toEqual({ total: 12 });
  });

  it("rejects consume with the handler's error", async () => {
    moduleRef = await Test.createTestingModule({
      imports: [GokaTestingModule.forRoot()],
      providers: [OrdersProcessor],
    }).compile();
    await moduleRef.init();
    await expect(moduleRef.get(GokaTester).consume('orders', 'carol', -1)).rejects.toThrow(/negative amount for carol/);
  });

  it('applies global enhancers to the handlers', async () => {
    moduleRef = await Test.createTestingModule({
      imports: [GokaTestingModule.forRoot()],
      providers: [OrdersProcessor, SeenInterceptor, { provide: APP_INTERCEPTOR, useExisting: SeenInterceptor }],
    }).compile();
    await moduleRef.init();
    await moduleRef.get(GokaTester).consume('orders', 'dave', 3);
    expect(moduleRef.get(SeenInterceptor).seen).toEqual([3]);
  });
});
