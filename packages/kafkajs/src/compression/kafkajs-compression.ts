import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';

/** A kafkajs compression codec, as the factories in `CompressionCodecs` return it. */
interface KafkajsCodec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

type CodecFactory = () => KafkajsCodec;

const require = createRequire(import.meta.url);

/**
 * `kafkajs-snappy` (pure JS on `snappyjs`, no native build): raw Snappy blocks as Go clients (sarama,
 * so Goka by default) write them, and the xerial framing of Java clients (snappy-java).
 */
const snappyCodec = require('kafkajs-snappy') as CodecFactory;

/** Whether kafkajs has a working Snappy codec (its built-in placeholder throws "not implemented"). */
function hasSnappyCodec(): boolean {
  try {
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy]();
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes kafkajs' own decoders read (and write) Snappy-compressed batches: the message sets of Kafka's
 * message formats 0 and 1 (which our reader hands to kafkajs' decoder) and any other kafkajs client of
 * the process. Our reader decodes format-2 record batches of every codec with its own codecs
 * (`compression/`), and our producer compresses with them; kafkajs only ships GZIP. kafkajs keeps codecs
 * in one global table shared by every client of the process, so this registers once for all of them; a
 * Snappy codec registered before (e.g. a native one) is kept. Idempotent; the kafkajs adapter calls it
 * when it is loaded.
 */
export function registerSnappyCodec(): void {
  if (!hasSnappyCodec()) kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy] = snappyCodec;
}
