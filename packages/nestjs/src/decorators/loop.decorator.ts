import type { Codec, ConsumeOptions } from '@goka/core';
import { GOKA_HANDLERS_METADATA } from '../goka.constants.js';
import type { GokaMessageHandler, GokaMethodDecorator } from '../interfaces/goka-handler.interface.js';
import type { GokaHandlerMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Makes a method of a `@Processor` class the callback of the group's loop stream `<group>-loop`
 * (Goka's `Loop`): `ctx.loopback(key, value)` sends messages there, encoded by `codec`, and the
 * method gets them back in the partition of `key`. `options.onError` is the loop's error policy.
 *
 * @publicApi
 */
export function Loop<M>(codec: Codec<M>, options: ConsumeOptions = {}): GokaMethodDecorator<GokaMessageHandler<M>> {
  const entry: GokaHandlerMetadata = Object.freeze({ kind: 'loop', codec: codec as Codec<unknown>, options });
  return (_target, _key, descriptor) => {
    if (descriptor.value !== undefined) prependMetadata(GOKA_HANDLERS_METADATA, entry, descriptor.value);
  };
}
