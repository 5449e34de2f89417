/** Log messages of the emitter's send retries, and the adapter-bug message of a send without offsets. */

import { quote } from '../util/quote.js';

/** The emitter's sends fail with a retriable error; it retries (logged at warn, once in a while). */
export function emitterWillRetry(topic: string, reason: string, waitMs: number, failingForMs: number, buffered: number): string {
  return (
    `emitter for topic ${quote(topic)}: sending failed for ${failingForMs} ms (${reason}); ` +
    `retrying in ${waitMs} ms, ${buffered} records buffered (each emit retries until its deliveryTimeoutMs)`
  );
}

/** The emitter's sends work again after failures. */
export function emitterRecovered(topic: string, failedForMs: number): string {
  return `emitter for topic ${quote(topic)}: sending works again after ${failedForMs} ms of failures`;
}

/** The producer acknowledged a send without an offset for one of its records (an adapter bug). */
export function emitterMissingOffset(topic: string, partition: number): string {
  return `the producer acknowledged a send to topic ${quote(topic)} partition ${partition} without the record's offset`;
}
