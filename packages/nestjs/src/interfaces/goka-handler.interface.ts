import type { ProcessContext } from '@goka/core';

/**
 * The shape an `@Input(topic, codec)` or `@Loop(codec)` method must have: it takes the message
 * decoded by the codec, then the context. The decorators check the message parameter against the
 * codec (`@Input('clicks', codecs.string)` on a method taking a `number` does not compile); the
 * context's value type is the one the method declares (`ctx: ProcessContext<number>` for a table
 * persisted with `codecs.int64`). It may return a promise, which the partition worker awaits.
 *
 * @publicApi
 */
export type GokaMessageHandler<M> = (message: M, ctx: ProcessContext<never>) => unknown;

/**
 * The shape a `@Visitor(name)` method must have: it takes the `meta` passed to
 * `processor.visitAll(name, meta)` (any type the method declares), then the context of the key.
 *
 * @publicApi
 */
export type GokaVisitorHandler = (meta: never, ctx: ProcessContext<never>) => unknown;

/**
 * A typed method decorator: applies only to methods whose type extends `H`.
 *
 * @publicApi
 */
export type GokaMethodDecorator<H> = <T extends H>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;
