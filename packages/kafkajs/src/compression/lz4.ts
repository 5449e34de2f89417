import type { BatchCodec } from './batch-codec.js';
import { lazyModule } from './native-module.js';

type Lz4Module = typeof import('lz4-napi');

const lz4 = lazyModule<Lz4Module>('lz4-napi', 'lz4');

/**
 * LZ4 (codec 3) in the LZ4 *frame* format (magic `04 22 4D 18`), as Kafka has written it since message
 * format 1, with the native `lz4-napi` package (napi-rs on lz4_flex): 64 KiB independent blocks, no
 * content size and no checksums besides the header's, which the Java client's
 * `KafkaLZ4BlockInputStream` reads. Frames of Kafka 0.8/0.9 clients (message format 0, whose header
 * checksum covered the magic too) fail the header check; a Kafka 4 broker serves only format 2 batches.
 */
export const lz4Codec: BatchCodec = {
  name: 'lz4',
  id: 3,
  compress: (records) => lz4().compressFrameSync(records),
  decompress: (compressed) => lz4().decompressFrameSync(compressed),
};

/** Loads the native module now: throws `CompressionUnavailableError` when it cannot. */
export function requireLz4(): void {
  lz4();
}
