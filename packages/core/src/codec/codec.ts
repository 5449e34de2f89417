import type { CodecBindContext } from './codec-bind-context.js';

/**
 * Turns values into record bytes and back (Goka's `Codec`). `encode` and `decode` are synchronous
 * and throw on failure, preferably a {@link CodecError}; the engine re-throws failures with the
 * topic and key of the record ({@link CodecError.wrap}).
 *
 * `null` values never reach a codec: a `null` record value is a tombstone (delete), while an empty
 * Buffer is a value and is passed to `decode`.
 */
export interface Codec<T> {
  /** Name used in error messages (`string`, `int64`, ...). Optional for user codecs. */
  readonly name?: string;
  /**
   * Optional: a codec that needs to know where it is used (a schema-registry codec learns its topic
   * and its registry client) returns the codec to use on that edge. Processors, views and emitters
   * call it once per (codec, topic, key/value) before they start (see `bindCodecs`) and then use
   * the returned codec, whose `bind` is not called again. A rejection fails the start with a
   * `CodecBindError`.
   */
  bind?(context: CodecBindContext): Promise<Codec<T>>;
  /** Returns the record bytes of `value`. */
  encode(value: T): Buffer;
  /** Returns the value of record bytes. */
  decode(bytes: Buffer): T;
}

/** The value type of a codec: `CodecValue<typeof codecs.int64>` is `number`. */
export type CodecValue<C> = C extends Codec<infer T> ? T : never;
