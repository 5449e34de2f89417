import { codecs, MemoryKafka } from '@goka/core';
import type { Emitter, ProcessContext, View } from '@goka/core';
import { Test } from '@nestjs/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { GOKA_EDGES_METADATA, GOKA_HANDLERS_METADATA } from '../goka.constants.js';
import { GokaModule } from '../goka.module.js';
import { GokaRegistry } from '../goka.registry.js';
import { tableWatch } from '../test-support/signals.util.js';
import { defineProcessorEdges } from './processor-edges.js';
import type { ProcessorContext } from './processor-edges.js';
import { Join, Lookup, Output, Persist, Processor } from './index.js';

interface User {
  readonly name: string;
}

const clicks = defineProcessorEdges({
  persist: codecs.int64,
  outputs: { alerts: codecs.string },
  joins: { 'users-table': codecs.json<User>() },
  lookups: { 'limits-table': codecs.int64 },
  loop: codecs.string,
});
type ClicksContext = ProcessorContext<typeof clicks>;

/**
 * Compile-time checks (tsc type-checks this file; a `@ts-expect-error` line that compiles fails
 * the build): the handlers' context follows the codecs given to `defineProcessorEdges`.
 */
@Processor('typed-clicks')
@clicks.Edges()
class TypedClicks {
  @clicks.Input('clicks', codecs.string)
  async count(click: string, ctx: ClicksContext): Promise<void> {
    expectTypeOf(ctx.value()).toEqualTypeOf<number | undefined>();
    expectTypeOf(ctx.join('users-table')).toEqualTypeOf<User | undefined>();
    expectTypeOf(ctx.lookup('limits-table', click)).toEqualTypeOf<Promise<number | undefined>>();
    const count = (ctx.value() ?? 0) + 1;
    ctx.setValue(count);
    if (count > ((await ctx.lookup('limits-table', click)) ?? Infinity)) ctx.loopback(ctx.key, click);
    // @ts-expect-error the table is int64
    ctx.setValue(click);
    // @ts-expect-error "alerts" is a string output
    ctx.emit('alerts', ctx.key, count);
    // @ts-expect-error not a declared output
    ctx.emit('elsewhere', ctx.key, click);
    // @ts-expect-error the joined table holds Users
    ctx.join<string>('users-table');
    // @ts-expect-error the loop codec is string
    ctx.loopback(ctx.key, count);
  }

  @clicks.Loop()
  over(message: string, ctx: ClicksContext): void {
    ctx.emit('alerts', ctx.key, `${message} over the limit`);
  }

  // @ts-expect-error the handler's context has a string table, the processor an int64 one
  @clicks.Input('strings', codecs.string)
  wrongTable(_message: string, _ctx: ProcessContext<string>): void {}

  // The loose context of the same table type fits too (its emit/join/lookup/loopback are unchecked).
  @clicks.Input('loose', codecs.string)
  loose(_message: string, _ctx: ProcessContext<number>): void {}

  // @ts-expect-error the codec decodes strings, the method wants numbers
  @clicks.Input('numbers', codecs.string)
  wrongMessage(_message: number, _ctx: ClicksContext): void {}

  // @ts-expect-error the loop codec decodes strings
  @clicks.Loop()
  wrongLoop(_message: number): void {}

  @clicks.Visitor('reset')
  reset(meta: { readonly to: number }, ctx: ClicksContext): void {
    ctx.setValue(meta.to);
  }
}

@Persist(codecs.int64)
@Join('users-table', codecs.json<User>())
@Lookup('limits-table', codecs.int64)
@Output('alerts', codecs.string)
class ByHand {}

@clicks.Edges()
class ByHelper {}

describe('defineProcessorEdges', () => {
  it('writes the same metadata as the decorators by hand', () => {
    expect(Reflect.getMetadata(GOKA_EDGES_METADATA, ByHelper)).toEqual(Reflect.getMetadata(GOKA_EDGES_METADATA, ByHand));
    expect(Reflect.getMetadata(GOKA_HANDLERS_METADATA, TypedClicks.prototype.over)).toMatchObject([{ kind: 'loop', codec: codecs.string }]);
    expect(Reflect.getMetadata(GOKA_HANDLERS_METADATA, TypedClicks.prototype.count)).toMatchObject([{ kind: 'input', topics: ['clicks'] }]);
  });

  it('runs a processor declared with it', async () => {
    const edges = defineProcessorEdges({ persist: codecs.int64, outputs: { alerts: codecs.string }, loop: codecs.string });
    @Processor('limited')
    @edges.Edges()
    class Limited {
      @edges.Input('clicks', codecs.string)
      count(click: string, ctx: ProcessorContext<typeof edges>): void {
        const count = (ctx.value() ?? 0) + 1;
        ctx.setValue(count);
        if (count === 2) ctx.loopback(ctx.key, click);
      }

      @edges.Loop()
      over(message: string, ctx: ProcessorContext<typeof edges>): void {
        ctx.emit('alerts', ctx.key, `${message} twice`);
      }
    }
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    kafka.createTopic('alerts', { partitions: 2 });
    const watch = tableWatch();
    const moduleRef = await Test.createTestingModule({
      imports: [
        GokaModule.forRoot({ kafka, logger: false, processorDefaults: { initialOffset: 'oldest' }, waitForRecovery: { timeoutMs: 10_000 } }),
        GokaModule.registerView({ group: 'limited', codec: codecs.int64, options: { updateCallback: watch.updateCallback } }),
        GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
      ],
      providers: [Limited],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      const registry = app.get(GokaRegistry);
      const emitter = registry.getEmitter('clicks') as Emitter<string>;
      await emitter.emit('alice', 'home');
      await emitter.emit('alice', 'home');
      await watch.applied(2);
      expect(await (registry.getView('limited') as View<number>).get('alice')).toBe(2);
      await expect.poll(() => kafka.read('alerts', 0).concat(kafka.read('alerts', 1)).map((r) => r.value?.toString())).toEqual(['home twice']);
    } finally {
      await app.close();
    }
  });
});
