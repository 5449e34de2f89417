import { GokaError } from './goka-error.js';
import { emitterClosed, emitterDeliveryTimedOut, emitterInvalidKey, emitterInvalidOption } from './messages.js';

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

/** Fields of a {@link DeliveryTimeoutError}. */
export interface DeliveryTimeoutDetails {
  readonly topic: string;
  readonly key: string;
  /** The partition the record was placed on; `undefined` when the emitter never got to connect. */
  readonly partition: number | undefined;
  /** The emitter's `deliveryTimeoutMs`. */
  readonly deliveryTimeoutMs: number;
  /** How long the emitter tried, from the emit call to the rejection, ms. */
  readonly elapsedMs: number;
  /** The last error of a send (or connect) attempt. */
  readonly cause: unknown;
}

/**
 * An emit was not acknowledged by Kafka within the emitter's `deliveryTimeoutMs` (the Java producer's
 * `delivery.timeout.ms`), measured from the emit call: sends failed with retriable errors (connection
 * lost, broker down, leader moving) until then. Names topic, key, partition, how long the emitter
 * tried and (as `cause`) the last error. The record was not acknowledged; whether a send that failed
 * on a lost connection was written anyway cannot be known without an idempotent producer.
 */
export class DeliveryTimeoutError extends GokaError {
  readonly topic: string;
  readonly key: string;
  readonly partition: number | undefined;
  readonly deliveryTimeoutMs: number;
  readonly elapsedMs: number;

  constructor(details: DeliveryTimeoutDetails) {
    const { topic, key, deliveryTimeoutMs, elapsedMs, cause } = details;
    const reason = cause instanceof Error ? cause.message : String(cause ?? 'unknown');
    super(emitterDeliveryTimedOut(topic, key, deliveryTimeoutMs, elapsedMs, reason), { cause, retriable: true });
    this.topic = topic;
    this.key = key;
    this.partition = details.partition;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    this.elapsedMs = elapsedMs;
  }
}
