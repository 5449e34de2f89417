import { errorMessage } from '../util/error-message.js';
import { codecJsonFailed, codecJsonNotSerializable } from './codec.messages.js';
import type { Codec } from './codec.js';
import { codecFailure } from './codec-failure.js';

const JSON_CODEC: Codec<unknown> = Object.freeze({
  name: 'json',
  encode(value: unknown): Buffer {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw codecFailure('json', 'encode', codecJsonFailed(errorMessage(error)), error);
    }
    if (text === undefined) throw codecFailure('json', 'encode', codecJsonNotSerializable(value));
    return Buffer.from(text, 'utf8');
  },
  decode(bytes: Buffer): unknown {
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (error) {
      throw codecFailure('json', 'decode', codecJsonFailed(errorMessage(error)), error);
    }
  },
});

/**
 * A JSON codec (UTF-8 `JSON.stringify` / `JSON.parse`). Not one of Goka's built-ins, but what its
 * examples use. The type parameter is not checked at run time: decode trusts the bytes' shape.
 * Values without a JSON form (`undefined`, functions, symbols) and bigints fail to encode.
 */
export function jsonCodec<T>(): Codec<T> {
  return JSON_CODEC as Codec<T>;
}
