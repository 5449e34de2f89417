import type { Codec } from '../codec/codec.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { describeType } from '../util/quote.js';

/**
 * Checks, when an edge is built, that its codec is a {@link Codec} (an object with `encode` and
 * `decode` functions), so that a wrong argument fails at definition time naming the edge — not at the
 * first record with "codec.decode is not a function", which reads like bad data. A function gets a
 * hint: codec factories such as `codecs.json` must be called.
 *
 * @throws GraphValidationError (rule `invalid-codec`, `edge` e.g. `input("clicks")`).
 */
export function checkEdgeCodec<T>(edge: string, codec: Codec<T>): Codec<T> {
  const candidate = codec as unknown;
  const methods = candidate as { encode?: unknown; decode?: unknown } | null;
  const isCodec =
    (typeof candidate === 'object' || typeof candidate === 'function') &&
    methods !== null &&
    typeof methods.encode === 'function' &&
    typeof methods.decode === 'function';
  if (isCodec) return codec;
  const got = typeof candidate === 'function' ? 'a function' : describeType(candidate);
  const hint = typeof candidate === 'function' ? '; a codec factory must be called: codecs.json() rather than codecs.json' : '';
  throw new GraphValidationError(
    `${edge}: the codec is not a Codec (an object with encode(value) and decode(bytes) functions), got ${got}${hint}`,
    { group: '', rule: 'invalid-codec', edge },
  );
}
