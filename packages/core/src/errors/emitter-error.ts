import { GokaError } from './goka-error.js';
import { describeType, quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** `emit` after `finish()` (Goka: `emitter already closed`). */
export function emitterClosed(topic: string): string {
  return `emitter for topic ${quote(topic)} already closed: finish() was called (create a new Emitter to emit again)`;
}

/** An emitter option (or the topic or codec) has an unusable value. */
export function emitterInvalidOption(topic: string, option: string, requirement: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : typeof value === 'string' ? quote(value) : describeType(value);
  return `invalid options of the emitter for topic ${quote(topic)}: ${option} must be ${requirement}, got ${got}`;
}

/** `emit` got a key that is not a string (Goka keys are strings; their UTF-8 bytes are the Kafka key). */
export function emitterInvalidKey(topic: string, key: unknown): string {
  return `emitter for topic ${quote(topic)}: keys are strings, got ${describeType(key)}`;
}

/**
 * An emit that was not acknowledged within `deliveryTimeoutMs`:
 * `emitter for topic "t": the record with key "k" was not delivered within deliveryTimeoutMs (120000 ms; tried for 121.4 s): <cause>`.
 */
export function emitterDeliveryTimedOut(topic: string, key: string, deliveryTimeoutMs: number, elapsedMs: number, reason: string): string {
  return (
    `emitter for topic ${quote(topic)}: the record with key ${quote(key)} was not delivered within ` +
    `deliveryTimeoutMs (${deliveryTimeoutMs} ms; tried for ${(elapsedMs / 1000).toFixed(1)} s), last error: ${reason}`
  );
}

/**
 * An emit (or `start()`) after the emitter's `finish()` was called (Goka's `ErrEmitterAlreadyClosed`).
 * Nothing was sent; create a new `Emitter` to emit again.
 */
export class EmitterClosedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_EMITTER_CLOSED';

  constructor(readonly topic: string) {
    super(new.target.code, emitterClosed(topic));
  }
}

/** An emitter was constructed with an unusable option (or topic, or codec); names the option. */
export class EmitterOptionsError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_EMITTER_OPTIONS';

  constructor(
    readonly topic: string,
    readonly option: string,
    requirement: string,
    value: unknown,
  ) {
    super(new.target.code, emitterInvalidOption(topic, option, requirement, value));
  }
}

/** `emit` got a key that is not a string. Nothing was sent. */
export class EmitterKeyError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_EMITTER_KEY';

  constructor(
    readonly topic: string,
    readonly key: unknown,
  ) {
    super(new.target.code, emitterInvalidKey(topic, key));
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
  static readonly code: GokaErrorCode = 'GOKA_DELIVERY_TIMEOUT';

  readonly topic: string;
  readonly key: string;
  readonly partition: number | undefined;
  readonly deliveryTimeoutMs: number;
  readonly elapsedMs: number;

  constructor(details: DeliveryTimeoutDetails) {
    const { topic, key, deliveryTimeoutMs, elapsedMs, cause } = details;
    const reason = cause instanceof Error ? cause.message : String(cause ?? 'unknown');
    super(new.target.code, emitterDeliveryTimedOut(topic, key, deliveryTimeoutMs, elapsedMs, reason), { cause, retriable: true });
    this.topic = topic;
    this.key = key;
    this.partition = details.partition;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    this.elapsedMs = elapsedMs;
  }
}
