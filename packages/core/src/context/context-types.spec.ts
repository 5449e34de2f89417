/**
 * Compile-time proof that the context's types follow the codecs of the graph's edges (issue 17,
 * item 4). `pnpm typecheck` (`tsc -b`) checks this file: every `@ts-expect-error` line must be an
 * error, so loosening a type (e.g. `emit(..., value: unknown)`, an unchecked `join<T>`, a table type
 * not tied to `persist`) makes the directive unused and fails the build. At run time the
 * assertions are no-ops; the graphs are only built.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { defineGroup } from '../graph/define-group.js';
import { input, join, lookup, output, persist } from '../graph/edges.js';
import type { ContextOf } from '../graph/group-graph.js';
import type { GroupBuilder, GroupGraph } from '../graph/group-graph.js';
import type { Processor } from '../processor/processor.js';
import type { GroupContext } from './group-context.js';
import type { ProcessContext } from './process-context.js';

interface User {
  readonly name: string;
}

/** The strict form: schema edges in `defineGroup`, callbacks through the builder. */
const schema = () =>
  defineGroup(
    'clicks',
    persist(codecs.int64),
    output('alerts', codecs.string),
    output('totals', codecs.int64),
    join('users', codecs.json<User>()),
    lookup('countries', codecs.bigint64),
  );

type Types = {
  readonly table: number;
  readonly outputs: { alerts: string; totals: number };
  readonly joins: { users: User };
  readonly lookups: { countries: bigint };
  readonly loop: never;
};

describe('strict context types (defineGroup(group, ...schema edges).input(...))', () => {
  it('infers the context from the edges: table, outputs, joins, lookups', () => {
    expectTypeOf(schema()).toEqualTypeOf<GroupBuilder<GroupContext<Types>>>();
    expectTypeOf<ContextOf<ReturnType<typeof schema>>>().toEqualTypeOf<GroupContext<Types>>();
  });

  it('the table value type follows persist(codec)', () => {
    schema().input('clicks', codecs.string, (ctx, click) => {
      expectTypeOf(ctx.value()).toEqualTypeOf<number | undefined>();
      ctx.setValue(click.length);
      // @ts-expect-error the table holds int64 numbers, not strings
      ctx.setValue(click);
    });
    // @ts-expect-error a callback taking ProcessContext<string> on an int64 table
    schema().input('clicks', codecs.string, (_ctx: ProcessContext<string>) => {});
    schema().input('clicks', codecs.string, (_ctx: ProcessContext<number>) => {});
    // @ts-expect-error without persist there is no table value to set
    defineGroup('stateless').input('a', codecs.string, (ctx) => ctx.setValue(1));
  });

  it('emit accepts only declared output topics, with their codec value type (null: tombstone)', () => {
    schema().input('clicks', codecs.string, (ctx, click) => {
      ctx.emit('alerts', ctx.key, click);
      ctx.emit('totals', ctx.key, 1);
      ctx.emit('totals', ctx.key, null);
      // @ts-expect-error "totals" is an int64 output
      ctx.emit('totals', ctx.key, click);
      // @ts-expect-error "alerts" is a string output
      ctx.emit('alerts', ctx.key, 1);
      // @ts-expect-error "nowhere" is not a declared output
      ctx.emit('nowhere', ctx.key, click);
      // @ts-expect-error the group table is not an output
      ctx.emit('clicks-table', ctx.key, 1);
    });
  });

  it('join and lookup return the type of the edge codec, for declared tables only', () => {
    schema().input('clicks', codecs.string, async (ctx) => {
      expectTypeOf(ctx.join('users')).toEqualTypeOf<User | undefined>();
      expectTypeOf(ctx.lookup('countries', 'de')).toEqualTypeOf<Promise<bigint | undefined>>();
      // @ts-expect-error "users" is a json<User> table: join<string> does not fit
      ctx.join<string>('users');
      // @ts-expect-error an int64-sized mistake: the joined value is a User
      const wrong: number | undefined = ctx.join('users');
      void wrong;
      // @ts-expect-error "countries" is a lookup, not a join
      ctx.join('countries');
      // @ts-expect-error "users" is a join, not a lookup
      await ctx.lookup('users', 'k');
      // @ts-expect-error the lookup decodes bigints
      const name: string | undefined = await ctx.lookup('countries', 'de');
      void name;
    });
  });

  it('loopback takes the loop codec type; the loop callback gets the message type', () => {
    schema()
      .loop(codecs.string, (ctx, message) => {
        expectTypeOf(message).toEqualTypeOf<string>();
        ctx.loopback(ctx.key, message);
        // @ts-expect-error the loop codec is string
        ctx.loopback(ctx.key, 1);
      })
      .input('clicks', codecs.string, (ctx, click) => {
        ctx.loopback(ctx.key, click);
        // @ts-expect-error the loop codec is string
        ctx.loopback(ctx.key, 1);
      });
    schema().input('clicks', codecs.string, (ctx) => {
      // @ts-expect-error no loop declared (yet): nothing fits loopback
      ctx.loopback(ctx.key, 'x');
    });
  });

  it('the message type follows the input codec', () => {
    schema().input('clicks', codecs.json<User>(), (_ctx, message) => {
      expectTypeOf(message).toEqualTypeOf<User>();
    });
    // @ts-expect-error the codec decodes strings
    schema().input('clicks', codecs.string, (_ctx, _message: number) => {});
  });

  it('a strict graph runs in a Processor typed by its table', () => {
    const graph = schema().input('clicks', codecs.string, () => {});
    expectTypeOf<Processor<number>>().toMatchTypeOf<{ readonly graph: GroupGraph<ProcessContext<number>> }>();
    const takesProcessorGraph = <V>(_graph: GroupGraph<ProcessContext<V>>): V => undefined as V;
    expectTypeOf(takesProcessorGraph(graph)).toEqualTypeOf<number>();
  });
});

describe('the callbacks-among-edges form (defineGroup(group, input(..., cb), persist(...)))', () => {
  it('checks the persist codec against the callbacks’ table type', () => {
    defineGroup('g', input('a', codecs.string, (ctx: ProcessContext<number>) => ctx.setValue(1)), persist(codecs.int64));
    // @ts-expect-error persist(int64) with callbacks typed ProcessContext<string>
    defineGroup('g', input('a', codecs.string, (_ctx: ProcessContext<string>) => {}), persist(codecs.int64));
    defineGroup<ProcessContext<number>>('g', input('a', codecs.string, (ctx) => ctx.setValue(1)), persist(codecs.int64));
    // @ts-expect-error the explicit context's table type is string, the codec int64
    defineGroup<ProcessContext<string>>('g', input('a', codecs.string, () => {}), persist(codecs.int64));
  });

  it('keeps the loose ProcessContext<V> methods there (the documented fallback)', () => {
    defineGroup<ProcessContext<number>>(
      'g',
      input('a', codecs.string, (ctx) => {
        expectTypeOf(ctx.join<User>('users')).toEqualTypeOf<User | undefined>();
        ctx.emit('anything', ctx.key, { any: 'value' });
      }),
      persist(codecs.int64),
    );
  });
});
