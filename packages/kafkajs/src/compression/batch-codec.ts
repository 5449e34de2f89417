/**
 * One compression codec of Kafka's record batches: the bytes after a batch's 61-byte header (its
 * records) are compressed as one unit, and the batch's `attributes` carry the codec's number in bits
 * 0–2. Both ways are synchronous: a batch is at most a few hundred KiB, and a thread-pool hop per
 * batch costs more than the work on a 2-core machine.
 */
export interface BatchCodec {
  /** Kafka's name of the codec (`compression.type`). */
  readonly name: 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Kafka's codec number in a batch's attributes. */
  readonly id: 1 | 2 | 3 | 4;
  compress(records: Buffer): Buffer;
  decompress(compressed: Buffer): Buffer;
}
