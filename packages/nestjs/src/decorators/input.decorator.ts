import type { Codec } from '@goka/core';
import { GOKA_HANDLERS_METADATA } from '../goka.constants.js';
import type { GokaMessageHandler, GokaMethodDecorator } from '../interfaces/goka-handler.interface.js';
import type { GokaHandlerMetadata, GokaInputOptions } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Makes a method of a `@Processor` class the callback of input stream `topic` (Goka's `Input`), or
 * of several topics sharing the codec (Goka's `Inputs`). The method gets the message decoded by
 * `codec`, then the `ProcessContext`; it may be async (the partition worker awaits it). Stackable:
 * one method may consume several topics, each with its own codec. `options.onError` is the error
 * policy of these topics (it wins over the processor's `onError`); `options.create` refines their
 * creation under the module's `topics: { create: true }` (`false`: never create them).
 *
 * @example
 * ```ts
 * @Input('clicks', codecs.string)
 * count(_click: string, ctx: ProcessContext<number>): void {
 *   ctx.setValue((ctx.value() ?? 0) + 1);
 * }
 * ```
 * @publicApi
 */
export function Input<M>(
  topic: string | readonly string[],
  codec: Codec<M>,
  options: GokaInputOptions = {},
): GokaMethodDecorator<GokaMessageHandler<M>> {
  const topics = Object.freeze(typeof topic === 'string' ? [topic] : [...topic]);
  const entry: GokaHandlerMetadata = Object.freeze({ kind: 'input', topics, codec: codec as Codec<unknown>, options });
  return (_target, _key, descriptor) => {
    if (descriptor.value !== undefined) prependMetadata(GOKA_HANDLERS_METADATA, entry, descriptor.value);
  };
}
