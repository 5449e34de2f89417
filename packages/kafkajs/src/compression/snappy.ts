import type { BatchCodec } from './batch-codec.js';
import { lazyModule } from './native-module.js';

type SnappyModule = typeof import('snappy');

const snappy = lazyModule<SnappyModule>('snappy', 'snappy');

/** snappy-java's stream header (Java clients): magic `\x82SNAPPY\0`, version 1, oldest compatible version 1. */
const XERIAL_HEADER = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
/** The magic part of {@link XERIAL_HEADER}; a raw Snappy block never starts with it (0x82 … is a varint > 2^21). */
const XERIAL_MAGIC_BYTES = 8;
/** Uncompressed bytes per xerial block: snappy-java's default block size, as Kafka's Java producer uses it. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

const isXerial = (bytes: Buffer): boolean =>
  bytes.length >= XERIAL_HEADER.length && bytes.compare(XERIAL_HEADER, 0, XERIAL_MAGIC_BYTES, 0, XERIAL_MAGIC_BYTES) === 0;

/** Compresses `records` in snappy-java's stream framing: the header, then `[int32 length][raw block]` per 32 KiB. */
function compressXerial(records: Buffer): Buffer {
  const { compressSync } = snappy();
  const parts: Buffer[] = [XERIAL_HEADER];
  for (let at = 0; at < records.length || at === 0; at += XERIAL_BLOCK_BYTES) {
    const block = compressSync(records.subarray(at, Math.min(records.length, at + XERIAL_BLOCK_BYTES)));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
    if (records.length === 0) break;
  }
  return Buffer.concat(parts);
}

function decompressXerial(compressed: Buffer): Buffer {
  const { uncompressSync } = snappy();
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER.length;
  while (at < compressed.length) {
    if (at + 4 > compressed.length) throw new Error(`the xerial Snappy stream ends inside a block length at byte ${at}`);
    const length = compressed.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > compressed.length) throw new Error(`a xerial Snappy block of ${length} bytes runs past the stream's end at byte ${at}`);
    parts.push(uncompressSync(compressed.subarray(at, at + length), { asBuffer: true }) as Buffer);
    at += length;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * Snappy (codec 2) with the native `snappy` package (napi-rs). Writes snappy-java's xerial framing, as
 * the Java producer does (every client reads it: Java, librdkafka, sarama, kafkajs-snappy). Reads both
 * that framing and a raw Snappy block, which Go clients (sarama, so Goka by default) write.
 */
export const snappyCodec: BatchCodec = {
  name: 'snappy',
  id: 2,
  compress: compressXerial,
  decompress: (compressed) => (isXerial(compressed) ? decompressXerial(compressed) : (snappy().uncompressSync(compressed, { asBuffer: true }) as Buffer)),
};

/** Loads the native module now: throws `CompressionUnavailableError` when it cannot. */
export function requireSnappy(): void {
  snappy();
}
