import type { Codec } from '@goka/core';
import { GOKA_EDGES_METADATA } from '../goka.constants.js';
import type { GokaEdgeMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Gives a `@Processor` class its group table `<group>-table` (Goka's `Persist`), with values
 * encoded by `codec`: callbacks read and write it with `ctx.value()` / `ctx.setValue()`, views
 * replicate it (`GokaModule.registerView({ group, codec })`).
 *
 * @publicApi
 */
export function Persist<V>(codec: Codec<V>): ClassDecorator {
  const entry: GokaEdgeMetadata = Object.freeze({ kind: 'persist', codec: codec as Codec<unknown> });
  return (target) => prependMetadata(GOKA_EDGES_METADATA, entry, target);
}
