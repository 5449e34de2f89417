import { codecWrongType } from './codec.messages.js';
import type { Codec } from './codec.js';
import { codecFailure } from './codec-failure.js';

/**
 * Goka's `String` codec: UTF-8 bytes. `""` encodes to an empty (non-null) value; decoding never
 * fails (invalid UTF-8 becomes U+FFFD).
 */
export const stringCodec: Codec<string> = Object.freeze({
  name: 'string',
  encode(value: string): Buffer {
    if (typeof value !== 'string') throw codecFailure('string', 'encode', codecWrongType('string', value));
    return Buffer.from(value, 'utf8');
  },
  decode(bytes: Buffer): string {
    return bytes.toString('utf8');
  },
});
