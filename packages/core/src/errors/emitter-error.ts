import { GokaError } from './goka-error.js';
import { emitterClosed, emitterInvalidKey, emitterInvalidOption } from './messages.js';

/**
 * An emit (or `start()`) after the emitter's `finish()` was called (Goka's `ErrEmitterAlreadyClosed`).
 * Nothing was sent; create a new `Emitter` to emit again.
 */
export class EmitterClosedError extends GokaError {
  constructor(readonly topic: string) {
    super(emitterClosed(topic));
  }
}

/** An emitter was constructed with an unusable option (or topic, or codec); names the option. */
export class EmitterOptionsError extends GokaError {
  constructor(
    readonly topic: string,
    readonly option: string,
    requirement: string,
    value: unknown,
  ) {
    super(emitterInvalidOption(topic, option, requirement, value));
  }
}

/** `emit` got a key that is not a string. Nothing was sent. */
export class EmitterKeyError extends GokaError {
  constructor(
    readonly topic: string,
    readonly key: unknown,
  ) {
    super(emitterInvalidKey(topic, key));
  }
}
