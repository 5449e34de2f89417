import { gunzipSync, gzipSync } from 'node:zlib';
import type { BatchCodec } from './batch-codec.js';

/** GZIP (codec 1) with node:zlib at its default level 6, as Java's `GZIPOutputStream` writes it. */
export const gzipCodec: BatchCodec = {
  name: 'gzip',
  id: 1,
  compress: (records) => gzipSync(records),
  decompress: (compressed) => gunzipSync(compressed),
};
