/** Compile-time checks (run by `tsc -b`); at run time the assertions are no-ops. */
import { describe, expectTypeOf, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { defineGroup } from './define-group.js';
import type { Edge, GraphEdge, InputEdge, JoinEdge, LoopEdge, OutputEdge, PersistEdge, VisitorEdge } from './edge.js';
import { input, inputs, join, lookup, loop, output, persist, visitor } from './edges.js';
import type { GroupGraph } from './group-graph.js';
import type { ProcessCallback } from './process-callback.js';
import type { ProcessContext } from '../context/process-context.js';

interface Ctx {
  emit(topic: string, key: string, value: unknown): void;
}
interface OtherCtx {
  other: number;
}
/** Accepts only graphs whose callbacks take a `Ctx`. */
const takesCtxGraph = (_graph: GroupGraph<Ctx>): void => {};

interface Click {
  readonly page: string;
}

describe('graph types', () => {
  it('edges carry the value type of their codec and the context type of their callback', () => {
    const typedInput = input('clicks', codecs.json<Click>(), (ctx: Ctx, message) => {
      expectTypeOf(message).toEqualTypeOf<Click>();
      ctx.emit('out', 'k', message.page);
    });
    expectTypeOf(typedInput).toEqualTypeOf<InputEdge<Click, Ctx>>();
    expectTypeOf(input('t', codecs.int64, (_ctx, m) => {
      expectTypeOf(m).toEqualTypeOf<number>();
    })).toEqualTypeOf<
      InputEdge<number, unknown>
    >();
    inputs(['a'], codecs.bytes, (_ctx, m) => {
      expectTypeOf(m).toEqualTypeOf<Buffer>();
    });
    expectTypeOf(loop(codecs.bigint64, () => {})).toEqualTypeOf<LoopEdge<bigint, unknown>>();
    expectTypeOf(join('t', codecs.int64)).toEqualTypeOf<JoinEdge<number, 't'>>();
    expectTypeOf(lookup('t', codecs.string).codec).toEqualTypeOf<Codec<string>>();
    expectTypeOf(output('t', codecs.json<Click>())).toEqualTypeOf<OutputEdge<Click, 't'>>();
    expectTypeOf(persist(codecs.int64)).toEqualTypeOf<PersistEdge<number>>();
    expectTypeOf(visitor('v', (_ctx: Ctx, _meta: { reset: boolean }) => {})).toEqualTypeOf<VisitorEdge<{ reset: boolean }, Ctx>>();
    expectTypeOf<ProcessCallback<string, Ctx>>().parameters.toEqualTypeOf<[Ctx, string]>();
    expectTypeOf<ProcessCallback<string, Ctx>>().returns.toEqualTypeOf<void | Promise<void>>();
  });

  it('a callback of the wrong message type is rejected', () => {
    // @ts-expect-error the codec decodes strings, not numbers
    input('t', codecs.string, (_ctx, _m: number) => {});
  });

  it('a concise arrow returning a value is rejected (the return type is void | Promise<void>)', () => {
    const seen: string[] = [];
    // @ts-expect-error push returns a number
    input('t', codecs.string, (_ctx, m) => seen.push(m));
    input('t', codecs.string, (_ctx, m) => void seen.push(m));
  });

  it('async callbacks are allowed', () => {
    expectTypeOf(input('t', codecs.string, async () => {})).toEqualTypeOf<InputEdge<string, unknown>>();
  });

  it('defineGroup infers the context type, or takes it explicitly', () => {
    const withCtx = input('a', codecs.string, (_ctx: Ctx, _m) => {});
    const plain = input('b', codecs.int64, () => {});
    expectTypeOf(defineGroup('g', withCtx, visitor('v', (_ctx: Ctx) => {}))).toEqualTypeOf<GroupGraph<Ctx>>();
    expectTypeOf(defineGroup('g', plain, persist(codecs.int64))).toEqualTypeOf<GroupGraph<unknown>>();
    expectTypeOf(defineGroup<Ctx>('g', withCtx, plain, loop(codecs.string, () => {}))).toEqualTypeOf<GroupGraph<Ctx>>();
    expectTypeOf(defineGroup<Ctx>('g', withCtx).callback('a')).toEqualTypeOf<ProcessCallback<unknown, Ctx> | undefined>();
    expectTypeOf(defineGroup('g', plain).allEdges()).toEqualTypeOf<readonly GraphEdge[]>();
  });

  it('an unannotated ctx takes the context of an annotated sibling or of the call', () => {
    defineGroup(
      'g',
      persist(codecs.int64),
      input('a', codecs.string, (ctx: ProcessContext<number>) => ctx.setValue(1)),
      input('b', codecs.string, (ctx, m) => {
        expectTypeOf(ctx).toEqualTypeOf<ProcessContext<number>>();
        ctx.setValue(m.length);
      }),
    );
    takesCtxGraph(
      defineGroup('g', input('a', codecs.string, (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<Ctx>();
      })),
    );
    expectTypeOf<ReturnType<typeof defineGroup>>().toEqualTypeOf<GroupGraph<unknown>>();
  });

  it('graphs whose callbacks ignore the context fit any context; unrelated contexts do not', () => {
    takesCtxGraph(defineGroup('g', input('a', codecs.string, () => {})));
    takesCtxGraph(defineGroup('g', input('a', codecs.string, (_ctx: Ctx) => {})));
    const other = input('a', codecs.string, (_ctx: OtherCtx) => {});
    // @ts-expect-error OtherCtx is not Ctx
    takesCtxGraph(defineGroup('g', other));
    // @ts-expect-error one graph, two unrelated context types
    defineGroup('g', other, input('b', codecs.string, (_ctx: Ctx) => {}));
  });

  it('typed edges fit the Edge union without any', () => {
    const edges: Edge[] = [
      input('a', codecs.json<Click>(), (_ctx, _m) => {}),
      inputs(['b'], codecs.string, () => {}),
      join('j', codecs.int64),
      loop(codecs.bigint64, () => {}),
      persist(codecs.json<Click>()),
      visitor('v', () => {}),
    ];
    expectTypeOf(defineGroup('g', ...edges)).toEqualTypeOf<GroupGraph<unknown>>();
  });

  it('group definitions', () => {
    defineGroup({ group: 'g' });
    defineGroup({ group: 'g', tableSuffix: '-t', loopSuffix: '-l' });
    // @ts-expect-error unknown option
    defineGroup({ group: 'g', suffix: '-t' });
  });
});
