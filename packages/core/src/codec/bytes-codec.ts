import { codecWrongType } from './codec.messages.js';
import type { Codec } from './codec.js';
import { codecFailure } from './codec-failure.js';

/**
 * Goka's `Bytes` codec: the record bytes unchanged. `encode` also accepts any `Uint8Array` at run
 * time (viewed as a Buffer without copying).
 */
export const bytesCodec: Codec<Buffer> = Object.freeze({
  name: 'bytes',
  encode(value: Buffer): Buffer {
    if (Buffer.isBuffer(value)) return value;
    const input: unknown = value;
    if (input instanceof Uint8Array) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    throw codecFailure('bytes', 'encode', codecWrongType('Buffer', value));
  },
  decode(bytes: Buffer): Buffer {
    return bytes;
  },
});
