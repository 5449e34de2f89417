import { BatchDecompressionError } from '@goka/core';
import type { CompressionType } from '@goka/core/kafka';
import type { BatchCodec } from './batch-codec.js';
import { gzipCodec } from './gzip.js';
import { lz4Codec, requireLz4 } from './lz4.js';
import { requireSnappy, snappyCodec } from './snappy.js';
import { requireZstdCompression, zstdCodec } from './zstd.js';

/** The codecs by Kafka's codec number (1 to 4; 0 is no compression). */
const BY_ID: ReadonlyArray<BatchCodec | undefined> = [undefined, gzipCodec, snappyCodec, lz4Codec, zstdCodec];

/** The codec of a {@link CompressionType}; `undefined` for `none`. */
export function batchCodec(type: CompressionType): BatchCodec | undefined {
  switch (type) {
    case 'none':
      return undefined;
    case 'gzip':
      return gzipCodec;
    case 'snappy':
      return snappyCodec;
    case 'lz4':
      return lz4Codec;
    case 'zstd':
      return zstdCodec;
  }
}

/**
 * Checks that this runtime can compress with `type` (its native module loads; zstd needs Node 22.15),
 * so that a producer fails when it is created rather than at its first send.
 *
 * @throws CompressionUnavailableError
 */
export function requireCompression(type: CompressionType): void {
  if (type === 'snappy') requireSnappy();
  else if (type === 'lz4') requireLz4();
  else if (type === 'zstd') requireZstdCompression();
}

/** Where a fetched batch came from, for the error when it cannot be decompressed. */
export interface BatchLocation {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
}

/**
 * The records section of a fetched batch compressed with codec `id` (1 to 4, from its attributes).
 *
 * @throws BatchDecompressionError naming topic, partition, offset and codec for an unknown codec
 *   number (5 to 7) or bytes the codec cannot read.
 */
export function decompressBatch(id: number, compressed: Buffer, where: BatchLocation): Buffer {
  const codec = BY_ID[id];
  if (codec === undefined) {
    throw new BatchDecompressionError(where.topic, where.partition, where.baseOffset, `codec ${id}`, {
      cause: new Error(`codec ${id} is not a Kafka compression codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)`),
    });
  }
  try {
    return codec.decompress(compressed);
  } catch (error) {
    throw new BatchDecompressionError(where.topic, where.partition, where.baseOffset, codec.name, { cause: error });
  }
}
