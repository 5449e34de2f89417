import type { Codec } from '@goka/core';
import { GOKA_EDGES_METADATA } from '../goka.constants.js';
import type { GokaEdgeMetadata } from '../interfaces/goka-metadata.interface.js';
import { prependMetadata } from './goka-metadata.util.js';

/**
 * Lets the callbacks of a `@Processor` class write to topic `topic` with
 * `ctx.emit(topic, key, value)` (Goka's `Output`), values encoded by `codec`. The topic need not
 * be copartitioned; it must exist. Stackable.
 *
 * @publicApi
 */
export function Output<V>(topic: string, codec: Codec<V>): ClassDecorator {
  const entry: GokaEdgeMetadata = Object.freeze({ kind: 'output', topic: topic, codec: codec as Codec<unknown> });
  return (target) => prependMetadata(GOKA_EDGES_METADATA, entry, target);
}
