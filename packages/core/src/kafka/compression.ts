/**
 * How a producer compresses the record batches it writes (Kafka's `compression.type`, kafkajs'
 * `CompressionTypes` in lower case). Readers decompress every codec whatever this says.
 */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Every {@link CompressionType}, in Kafka's codec number order (none 0 … zstd 4). */
export const COMPRESSION_TYPES: readonly CompressionType[] = Object.freeze(['none', 'gzip', 'snappy', 'lz4', 'zstd']);

/**
 * Default `compression` of emitters and processors: `none`, as the Java client. Measured on this
 * project's bench (see the core README's "Compression"): compressing costs producer throughput on a
 * local broker and only pays where the network or the disk is the bottleneck, so it is a choice to
 * make per deployment; Goka's (sarama's) snappy is one `compression: 'snappy'` away.
 */
export const DEFAULT_COMPRESSION: CompressionType = 'none';

export function isCompressionType(value: unknown): value is CompressionType {
  return typeof value === 'string' && (COMPRESSION_TYPES as readonly string[]).includes(value);
}
