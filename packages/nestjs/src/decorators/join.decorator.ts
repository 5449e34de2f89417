import type { Codec } from '@goka/core';
import { GOKA_EDGES_METADATA } from '../goka.constants.js';
import type { GokaEdgeMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Lets the callbacks of a `@Processor` class read table `table` with `ctx.join(table)` (Goka's
 * `Join`): the key's value in the local copy of the same partition. The table must be
 * copartitioned with the inputs; processing waits until the table partition has caught up. Stackable.
 *
 * @publicApi
 */
export function Join<V>(table: string, codec: Codec<V>): ClassDecorator {
  const entry: GokaEdgeMetadata = Object.freeze({ kind: 'join', topic: table, codec: codec as Codec<unknown> });
  return (target) => prependMetadata(GOKA_EDGES_METADATA, entry, target);
}
