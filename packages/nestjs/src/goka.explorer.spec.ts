import { codecs, MemoryKafka } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Injectable, Scope } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { Input, Join, Loop, Output, Persist, Processor, Visitor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaExplorer } from './goka.explorer.js';
import { ProcessorDefinitionError } from './errors/index.js';

/** Initializes a module with `providers` next to GokaModule; resolves with the error init failed with. */
async function startupError(...providers: Type[]): Promise<unknown> {
  const moduleRef = await Test.createTestingModule({
    imports: [GokaModule.forRoot({ kafka: new MemoryKafka(), logger: false })],
    providers,
  }).compile();
  try {
    await moduleRef.init();
  } catch (error) {
    return error;
  } finally {
    await moduleRef.close();
  }
  throw new Error('init did not fail');
}

describe('GokaExplorer', () => {
  it('describes every @Processor provider as plain data (class edges, method handlers)', async () => {
    @Processor('orders', { initialOffset: 'oldest' })
    @Persist(codecs.int64)
    @Join('customers-table', codecs.string)
    @Output('invoices', codecs.string)
    class OrdersProcessor {
      @Input('orders', codecs.string)
      @Input(['returns', 'refunds'], codecs.string)
      order(_message: string, _ctx: ProcessContext<number>): void {}

      @Loop(codecs.string)
      again(_message: string, _ctx: ProcessContext<number>): void {}

      @Visitor('reset')
      reset(_meta: unknown, ctx: ProcessContext<number>): void {
        ctx.setValue(0);
      }

      notAHandler(): void {}
    }
    @Injectable()
    class Unrelated {}

    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ kafka: new MemoryKafka(), logger: false })],
      providers: [OrdersProcessor, Unrelated],
    }).compile();
    const definitions = moduleRef.get(GokaExplorer).explore();
    expect(definitions).toHaveLength(1);
    const [definition] = definitions;
    expect(definition).toMatchObject({
      group: 'orders',
      className: 'OrdersProcessor',
      options: { initialOffset: 'oldest' },
      edges: [
        { kind: 'persist', codec: codecs.int64 },
        { kind: 'join', topic: 'customers-table' },
        { kind: 'output', topic: 'invoices' },
      ],
      handlers: [
        { methodName: 'order', metadata: { kind: 'input', topics: ['orders'] } },
        { methodName: 'order', metadata: { kind: 'input', topics: ['returns', 'refunds'] } },
        { methodName: 'again', metadata: { kind: 'loop' } },
        { methodName: 'reset', metadata: { kind: 'visitor', name: 'reset' } },
      ],
    });
    expect(definition?.instance).toBe(moduleRef.get(OrdersProcessor));
    await moduleRef.close();
  });

  it('fails startup when two classes are processors of one group, naming both', async () => {
    @Processor('clicks')
    class FirstClicks {
      @Input('clicks', codecs.string)
      count(): void {}
    }
    @Processor('clicks')
    class SecondClicks {
      @Input('other-clicks', codecs.string)
      count(): void {}
    }
    const error = await startupError(FirstClicks, SecondClicks);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ code: 'GOKA_PROCESSOR_DEFINITION', rule: 'duplicate-processor' });
    expect(error).toMatchObject({ rule: 'duplicate-processor', group: 'clicks', classNames: ['FirstClicks', 'SecondClicks'] });
    expect(String(error)).toMatch(/"FirstClicks", "SecondClicks"/);
  });

  it('fails startup when two methods take the same input, naming class and methods', async () => {
    @Processor('clicks')
    class TwoCallbacks {
      @Input('clicks', codecs.string)
      count(): void {}

      @Input(['views', 'clicks'], codecs.string)
      countAgain(): void {}
    }
    const error = await startupError(TwoCallbacks);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ code: 'GOKA_PROCESSOR_DEFINITION', rule: 'duplicate-input' });
    expect(error).toMatchObject({ className: 'TwoCallbacks', methodNames: ['count', 'countAgain'], topic: 'clicks' });
    expect(String(error)).toContain('TwoCallbacks.count and TwoCallbacks.countAgain');
  });

  it('fails startup when one method takes the same input twice', async () => {
    @Processor('clicks')
    class Twice {
      @Input('clicks', codecs.string)
      @Input('clicks', codecs.string)
      count(): void {}
    }
    await expect(startupError(Twice)).resolves.toMatchObject({ rule: 'duplicate-input', methodNames: ['count', 'count'] });
  });

  it('fails startup for a processor without input', async () => {
    @Processor('lonely')
    @Persist(codecs.string)
    class Lonely {
      @Loop(codecs.string)
      loop(): void {}
    }
    const error = await startupError(Lonely);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ code: 'GOKA_PROCESSOR_DEFINITION', rule: 'missing-input' });
    expect(error).toMatchObject({ className: 'Lonely', group: 'lonely' });
    expect(String(error)).toMatch(/Lonely \(group "lonely"\) has no @Input method/);
  });

  it('fails startup for two persists', async () => {
    @Processor('tables')
    @Persist(codecs.string)
    @Persist(codecs.int64)
    class TwoTables {
      @Input('in', codecs.string)
      handle(): void {}
    }
    const error = await startupError(TwoTables);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ code: 'GOKA_PROCESSOR_DEFINITION', rule: 'duplicate-persist' });
    expect(String(error)).toMatch(/TwoTables \(group "tables"\) is decorated with @Persist 2 times/);
  });

  it('fails startup for a visitor without persist, naming class and method', async () => {
    @Processor('stateless')
    class Stateless {
      @Input('in', codecs.string)
      handle(): void {}

      @Visitor('reset')
      resetAll(): void {}
    }
    const error = await startupError(Stateless);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ code: 'GOKA_PROCESSOR_DEFINITION', rule: 'visitor-without-persist' });
    expect(error).toMatchObject({ className: 'Stateless', methodName: 'resetAll', topic: 'reset' });
    expect(String(error)).toContain('Stateless.resetAll is @Visitor("reset")');
  });

  it('fails startup for an input on the group table topic, naming the method (Goka graph rule)', async () => {
    @Processor('loopy')
    @Persist(codecs.string)
    class OwnTable {
      @Input('loopy-table', codecs.string)
      readOwnTable(): void {}
    }
    const error = await startupError(OwnTable);
    expect(error).toBeInstanceOf(ProcessorDefinitionError);
    expect(error).toMatchObject({ rule: 'invalid-graph', className: 'OwnTable', methodNames: ['readOwnTable'] });
    expect(String(error)).toContain('OwnTable.readOwnTable');
  });

  it('fails startup for a processor that depends on a request-scoped provider', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class PerRequest {}

    @Processor('scoped')
    class Scoped {
      constructor(readonly perRequest: PerRequest) {}

      @Input('in', codecs.string)
      handle(): void {}
    }
    const error = await startupError(Scoped, PerRequest);
    expect(error).toMatchObject({ rule: 'scoped-processor', className: 'Scoped', group: 'scoped' });
    expect(String(error)).toMatch(/must be a singleton/);
  });
});
