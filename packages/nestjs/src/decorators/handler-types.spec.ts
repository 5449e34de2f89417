import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { GOKA_EDGES_METADATA, GOKA_HANDLERS_METADATA, GOKA_PROCESSOR_METADATA } from '../goka.constants.js';
import { Input, Join, Lookup, Loop, Output, Persist, Processor, Visitor } from './index.js';

interface Profile {
  readonly name: string;
}

/**
 * Compile-time checks (tsc type-checks this file): handler parameters follow the codecs given to
 * the decorators. A `@ts-expect-error` line that compiles fails the build.
 */
@Processor('typed')
@Persist(codecs.int64)
@Join('profiles-table', codecs.json<Profile>())
@Lookup('countries-table', codecs.string)
@Output('alerts', codecs.string)
class TypedProcessor {
  @Input('clicks', codecs.string)
  click(message: string, ctx: ProcessContext<number>): void {
    ctx.setValue(message.length + (ctx.value() ?? 0));
  }

  @Input('profiles', codecs.json<Profile>())
  async profile(message: Profile, ctx: ProcessContext<number>): Promise<void> {
    ctx.emit('alerts', ctx.key, message.name);
  }

  // One method, several inputs: the parameter accepts every codec's type.
  @Input('amounts', codecs.int64)
  @Input('labels', codecs.string)
  either(message: number | string): void {
    void message;
  }

  // @ts-expect-error the codec decodes strings, the method wants numbers
  @Input('wrong', codecs.string)
  wrong(message: number): void {
    void message;
  }

  // @ts-expect-error the loop codec decodes numbers
  @Loop(codecs.int64)
  looped(message: string): void {
    void message;
  }

  @Visitor('reset')
  reset(meta: { readonly to: number }, ctx: ProcessContext<number>): void {
    ctx.setValue(meta.to);
  }

  // Handlers may ignore their arguments.
  @Input('ticks', codecs.bytes)
  tick(): void {}
}

describe('decorators', () => {
  it('only write metadata: @Processor on the class, edges on the class, handlers on the methods', () => {
    expect(Reflect.getMetadata(GOKA_PROCESSOR_METADATA, TypedProcessor)).toEqual({ group: 'typed', options: {} });
    expect(Reflect.getMetadata(GOKA_EDGES_METADATA, TypedProcessor)).toMatchObject([
      { kind: 'persist' },
      { kind: 'join', topic: 'profiles-table' },
      { kind: 'lookup', topic: 'countries-table' },
      { kind: 'output', topic: 'alerts' },
    ]);
    expect(Reflect.getMetadata(GOKA_HANDLERS_METADATA, TypedProcessor.prototype.either)).toMatchObject([
      { kind: 'input', topics: ['amounts'] },
      { kind: 'input', topics: ['labels'] },
    ]);
    expect(Reflect.getMetadata(GOKA_HANDLERS_METADATA, TypedProcessor.prototype.reset)).toEqual([
      { kind: 'visitor', name: 'reset' },
    ]);
  });

  it('accept @Processor options in both forms', () => {
    @Processor({ group: 'one', initialOffset: 'oldest', tableSuffix: '-state' })
    class One {}
    @Processor('two', { hotStandby: true })
    class Two {}
    expect(Reflect.getMetadata(GOKA_PROCESSOR_METADATA, One)).toEqual({
      group: 'one',
      options: { initialOffset: 'oldest', tableSuffix: '-state' },
    });
    expect(Reflect.getMetadata(GOKA_PROCESSOR_METADATA, Two)).toEqual({ group: 'two', options: { hotStandby: true } });
  });

  it('keep a subclass’s edges apart from its parent’s', () => {
    @Persist(codecs.string)
    class Parent {}
    @Output('extra', codecs.string)
    class Child extends Parent {}
    expect(Reflect.getMetadata(GOKA_EDGES_METADATA, Parent)).toHaveLength(1);
    expect(Reflect.getMetadata(GOKA_EDGES_METADATA, Child)).toMatchObject([{ kind: 'output' }, { kind: 'persist' }]);
  });
});
