import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** `cannot decompress the lz4 record batch at offset 12 of topic "t" partition 0: <reason>` */
export function batchDecompressionFailed(topic: string, partition: number, baseOffset: number, codec: string, reason: string): string {
  return `cannot decompress the ${codec} record batch at offset ${baseOffset} of topic ${quote(topic)} partition ${partition}: ${reason}`;
}

/** `zstd compression is not available: <reason>` */
export function compressionUnavailable(codec: string, reason: string): string {
  return `${codec} compression is not available: ${reason}`;
}

/**
 * A fetched record batch could not be decompressed: an unknown codec number (5 to 7), a codec this
 * runtime cannot read, or corrupt compressed bytes. Not retriable: fetching the same batch again gives
 * the same bytes. `codec` is Kafka's name (`gzip`, `snappy`, `lz4`, `zstd`, or `codec 5`).
 */
export class BatchDecompressionError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_BATCH_DECOMPRESSION';

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly baseOffset: number,
    readonly codec: string,
    options: GokaErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    super(new.target.code, batchDecompressionFailed(topic, partition, baseOffset, codec, reason), { ...options, retriable: false });
  }
}

/**
 * A compression codec cannot be used on this runtime: e.g. zstd compression on Node before 22.15
 * (whose `node:zlib` has no zstd), or a native codec whose binary did not load. Thrown when a producer
 * is created with that `compression`, never in the middle of a send.
 */
export class CompressionUnavailableError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_COMPRESSION_UNAVAILABLE';

  constructor(
    readonly codec: string,
    reason: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, compressionUnavailable(codec, reason), { ...options, retriable: false });
  }
}
