import type { Codec, CodecValue, ConsumeOptions, GroupContext, ProcessContext } from '@goka/core';
import type { GokaMethodDecorator } from '../interfaces/goka-handler.interface.js';
import { Input } from './input.decorator.js';
import { Join } from './join.decorator.js';
import { Lookup } from './lookup.decorator.js';
import { Loop } from './loop.decorator.js';
import { Output } from './output.decorator.js';
import { Persist } from './persist.decorator.js';
import { Visitor } from './visitor.decorator.js';

/** The codecs of a processor's edges without callbacks, by role (what {@link defineProcessorEdges} takes). */
export interface ProcessorEdgeCodecs {
  /** The group table's codec (`@Persist`). */
  readonly persist?: Codec<unknown> | undefined;
  /** Output topic → codec (`@Output`). */
  readonly outputs?: Readonly<Record<string, Codec<unknown>>> | undefined;
  /** Joined table → codec (`@Join`). */
  readonly joins?: Readonly<Record<string, Codec<unknown>>> | undefined;
  /** Lookup table → codec (`@Lookup`). */
  readonly lookups?: Readonly<Record<string, Codec<unknown>>> | undefined;
  /** The loop's codec (`@Loop`). */
  readonly loop?: Codec<unknown> | undefined;
}

/** The codec given for `K` (`never` when absent). */
type Field<S, K extends keyof ProcessorEdgeCodecs> = K extends keyof S ? Exclude<S[K], undefined> : never;
/** Topic → value type of a topic → codec map (none when absent). */
type ValuesOf<M> = [M] extends [never] ? Record<never, never> : { [K in keyof M]: CodecValue<M[K]> };
/** The value type of a codec (`never` when absent). */
type ValueOf<C> = [C] extends [never] ? never : CodecValue<C>;

/** The `ContextTypes` (core) of the codecs `S`. */
type TypesOf<S> = {
  readonly table: ValueOf<Field<S, 'persist'>>;
  readonly outputs: ValuesOf<Field<S, 'outputs'>>;
  readonly joins: ValuesOf<Field<S, 'joins'>>;
  readonly lookups: ValuesOf<Field<S, 'lookups'>>;
  readonly loop: ValueOf<Field<S, 'loop'>>;
};

/**
 * The strictly typed context of the handlers of a processor declared with {@link defineProcessorEdges}:
 * `ProcessorContext<typeof clicks>` (a core `GroupContext`: table, outputs, joins, lookups and loop
 * typed by the codecs).
 */
export type ProcessorContext<E> = E extends ProcessorEdges<infer S> ? GroupContext<TypesOf<S>> : never;

/**
 * A handler of an `Input`, `Loop` or `Visitor` of {@link ProcessorEdges}: the message, then the typed
 * context `C` — or the loose `ProcessContext` of the same table type (its `emit`/`join`/`lookup`/`loopback`
 * unchecked, as everywhere).
 */
export type TypedMessageHandler<M, C> =
  | ((message: M, ctx: C) => unknown)
  | ((message: M, ctx: ProcessContext<C extends { value(): infer V } ? Exclude<V, undefined> : never>) => unknown);

/**
 * The class and method decorators of a processor whose edges are declared once, with their types:
 * `Edges()` puts `@Persist`, `@Output`, `@Join` and `@Lookup` on the class; `Input`, `Loop` and
 * `Visitor` are `@Input`, `@Loop` and `@Visitor` that check the method's context parameter against
 * {@link ProcessorContext} (and the message against the codec, as `@Input` does).
 */
export interface ProcessorEdges<S extends ProcessorEdgeCodecs> {
  /** The codecs given to {@link defineProcessorEdges}. */
  readonly codecs: S;
  /** Class decorator: `@Persist`, `@Output`, `@Join`, `@Lookup` for the declared codecs. */
  Edges(): ClassDecorator;
  /** `@Input(topic, codec, options)` for a method `(message, ctx: ProcessorContext<typeof edges>)`. */
  Input<M>(
    topic: string | readonly string[],
    codec: Codec<M>,
    options?: ConsumeOptions,
  ): GokaMethodDecorator<TypedMessageHandler<M, ProcessorContext<ProcessorEdges<S>>>>;
  /** `@Loop(loop codec, options)` for a method `(message, ctx)`; needs `loop` among the codecs. */
  Loop(
    options?: ConsumeOptions,
  ): GokaMethodDecorator<TypedMessageHandler<ValueOf<Field<S, 'loop'>>, ProcessorContext<ProcessorEdges<S>>>>;
  /** `@Visitor(name)` for a method `(meta, ctx)`. */
  Visitor(name: string): GokaMethodDecorator<TypedMessageHandler<never, ProcessorContext<ProcessorEdges<S>>>>;
}

/**
 * Declares the edges of a `@Processor` class once, with their codecs, so that its handlers get a
 * context typed by them — what TypeScript's decorators cannot infer across a class and its methods:
 *
 * ```ts
 * const clicks = defineProcessorEdges({ persist: codecs.int64, outputs: { alerts: codecs.string } });
 * type ClicksContext = ProcessorContext<typeof clicks>;
 *
 * @Processor('clicks')
 * @clicks.Edges()
 * class ClicksProcessor {
 *   @clicks.Input('clicks', codecs.string)
 *   count(click: string, ctx: ClicksContext): void {
 *     ctx.setValue((ctx.value() ?? 0) + 1); // number
 *     ctx.emit('alerts', ctx.key, click);   // a declared output, a string
 *   }
 * }
 * ```
 */
export function defineProcessorEdges<const S extends ProcessorEdgeCodecs>(codecs: S): ProcessorEdges<S> {
  return Object.freeze({
    codecs,
    Edges(): ClassDecorator {
      return (target) => {
        // Applied like stacked decorators, bottom-up, so that the metadata lists them in declaration order.
        const decorators: ClassDecorator[] = [];
        if (codecs.persist !== undefined) decorators.push(Persist(codecs.persist));
        for (const [table, codec] of Object.entries(codecs.joins ?? {})) decorators.push(Join(table, codec));
        for (const [table, codec] of Object.entries(codecs.lookups ?? {})) decorators.push(Lookup(table, codec));
        for (const [topic, codec] of Object.entries(codecs.outputs ?? {})) decorators.push(Output(topic, codec));
        for (const decorator of decorators.reverse()) decorator(target);
      };
    },
    Input<M>(topic: string | readonly string[], codec: Codec<M>, options?: ConsumeOptions) {
      return Input(topic, codec, options) as GokaMethodDecorator<TypedMessageHandler<M, ProcessorContext<ProcessorEdges<S>>>>;
    },
    Loop(options?: ConsumeOptions) {
      // Without a loop codec the decorator still applies; the processor then fails at startup like `@Loop(undefined)`.
      return Loop(codecs.loop as Codec<unknown>, options) as GokaMethodDecorator<
        TypedMessageHandler<ValueOf<Field<S, 'loop'>>, ProcessorContext<ProcessorEdges<S>>>
      >;
    },
    Visitor(name: string) {
      return Visitor(name) as GokaMethodDecorator<TypedMessageHandler<never, ProcessorContext<ProcessorEdges<S>>>>;
    },
  });
}
