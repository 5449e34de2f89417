import { bigint64Codec } from './bigint64-codec.js';
import { bytesCodec } from './bytes-codec.js';
import type { Codec } from './codec.js';
import { int64Codec } from './int64-codec.js';
import { jsonCodec } from './json-codec.js';
import { stringCodec } from './string-codec.js';

/** The built-in codecs; see {@link codecs}. */
export interface Codecs {
  /** UTF-8 text (Goka `codec.String`). */
  readonly string: Codec<string>;
  /** Raw bytes, unchanged (Goka `codec.Bytes`). */
  readonly bytes: Codec<Buffer>;
  /** Decimal ASCII integer as a safe JS number (Goka `codec.Int64`). */
  readonly int64: Codec<number>;
  /** Decimal ASCII integer as a `bigint` in the int64 range (Goka `codec.Int64`). */
  readonly bigint64: Codec<bigint>;
  /** JSON text of a `T` (UTF-8). */
  json<T>(): Codec<T>;
}

/** Built-in codecs, byte-compatible with Goka's (`string`, `bytes`, `int64`/`bigint64`) plus `json`. */
export const codecs: Codecs = Object.freeze({
  string: stringCodec,
  bytes: bytesCodec,
  int64: int64Codec,
  bigint64: bigint64Codec,
  json: jsonCodec,
});
