import { codecName } from '@goka/core';
import type { Codec } from '@goka/core';
import { TesterError } from './tester-error.js';

/** A codec and who registered it for a topic. */
interface Registration {
  readonly codec: Codec<unknown>;
  readonly source: string;
}

/**
 * The codec of every topic the tester's components use (Goka's tester registers them from
 * processors, views and emitters). One topic has one codec type: registering a codec of another
 * name for a topic fails, naming both registrations.
 */
export class CodecRegistry {
  readonly #codecs = new Map<string, Registration>();

  /** Registers `codec` for `topic` on behalf of `source` (e.g. `processor "counter"`). */
  register(topic: string, codec: Codec<unknown>, source: string): void {
    const known = this.#codecs.get(topic);
    if (known === undefined) {
      this.#codecs.set(topic, { codec, source });
      return;
    }
    const [had, given] = [codecName(known.codec), codecName(codec)];
    if (had !== given) {
      throw new TesterError(
        `topic "${topic}" has codec ${had} (from ${known.source}), ${source} registers codec ${given}: ` +
          'one topic needs one codec',
      );
    }
  }

  /** The codec of `topic`, if registered. */
  find(topic: string): Codec<unknown> | undefined {
    return this.#codecs.get(topic)?.codec;
  }

  /** The codec of `topic`; `purpose` names the operation in the error when there is none. */
  require(topic: string, purpose: string): Codec<unknown> {
    const codec = this.find(topic);
    if (codec === undefined) {
      throw new TesterError(
        `cannot ${purpose}: no codec is registered for topic "${topic}" ` +
          '(register a processor, view or emitter that uses it, or pass a codec)',
      );
    }
    return codec;
  }
}
