import { GOKA_HANDLERS_METADATA } from '../goka.constants.js';
import type { GokaMethodDecorator, GokaVisitorHandler } from '../interfaces/goka-handler.interface.js';
import type { GokaHandlerMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Makes a method of a `@Processor` class the visitor `name` (Goka's `Visitor`):
 * `processor.visitAll(name, meta)` calls it with `meta` and the context of every key of the group
 * table. Needs `@Persist` on the class.
 *
 * @publicApi
 */
export function Visitor(name: string): GokaMethodDecorator<GokaVisitorHandler> {
  const entry: GokaHandlerMetadata = Object.freeze({ kind: 'visitor', name });
  return (_target, _key, descriptor) => {
    if (descriptor.value !== undefined) prependMetadata(GOKA_HANDLERS_METADATA, entry, descriptor.value);
  };
}
