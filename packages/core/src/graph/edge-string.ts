import type { Codec } from '../codec/codec.js';
import { describeType } from '../util/quote.js';

/**
 * The name of a codec in edge strings: its `name`, else its class name, else `custom` (the
 * counterpart of Goka's `%T`, e.g. `*codec.String`).
 */
export function codecName(codec: Codec<unknown>): string {
  if (typeof codec.name === 'string' && codec.name !== '') return codec.name;
  const type = describeType(codec);
  return type === 'Object' || type === 'object' ? 'custom' : type;
}

/** Goka's edge string: `"<topic>/<codec name>"`, e.g. `clicks/string`. */
export function edgeString(topic: string, codec: Codec<unknown>): string {
  return `${topic}/${codecName(codec)}`;
}
