import type { Codec } from '@goka/core';
import { GOKA_EDGES_METADATA } from '../goka.constants.js';
import type { GokaEdgeMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Lets the callbacks of a `@Processor` class read any key of table `table` with
 * `ctx.lookup(table, key)` (Goka's `Lookup`), through a full view of it kept by the processor. Stackable.
 *
 * @publicApi
 */
export function Lookup<V>(table: string, codec: Codec<V>): ClassDecorator {
  const entry: GokaEdgeMetadata = Object.freeze({ kind: 'lookup', topic: table, codec: codec as Codec<unknown> });
  return (target) => prependMetadata(GOKA_EDGES_METADATA, entry, target);
}
