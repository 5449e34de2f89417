/** Messages (errors and log lines) of partition tables. */

import { describeType } from '../util/quote.js';
import { tableLabel } from '../errors/table-error.js';

/** Goka's warning when the stored offset is at or past the high-water mark (logged; the partition counts as recovered). */
export function tableOffsetAhead(topic: string, partition: number, hwm: number, storedOffset: number): string {
  return (
    `${tableLabel(topic, partition)}: local offset ${storedOffset} is not below the high-water mark ${hwm}; ` +
    'treating the partition as recovered. This can have several reasons: ' +
    '(1) the Kafka topic storing the table is gone or was recreated: delete the local cache and restart; ' +
    '(2) the process crashed last time while writing to disk; (3) you found a bug'
  );
}

/** The storage of a partition table is used before `setup()` opened it or after `close()`. */
export function tableNotOpen(topic: string, partition: number, state: string): string {
  return `${tableLabel(topic, partition)}: storage is not open (state ${state}); call setup() first`;
}

/** `recover()` / `catchUp()` called while another load of the same partition table runs. */
export function tableBusy(topic: string, partition: number): string {
  return `${tableLabel(topic, partition)}: already loading; wait for the running recover() or catchUp() to settle`;
}

/** Logged when a load failed and will be retried (Goka: `Error while starting up` / `Will retry in N seconds`). */
export function tableWillRetry(topic: string, partition: number, reason: string, waitMs: number, retries: number): string {
  return (
    `${tableLabel(topic, partition)}: error while starting up: ${reason}; ` +
    `will retry in ${Math.round(waitMs / 1000)} seconds (retried ${retries} times so far)`
  );
}

/** Logged (debug) when asking Kafka for a table partition's offsets hit a temporary error (e.g. no leader yet). */
export function tableOffsetsWillRetry(topic: string, partition: number, reason: string, waitMs: number, attempt: number): string {
  return `${tableLabel(topic, partition)}: offsets attempt ${attempt} hit a temporary Kafka error: ${reason}; retrying in ${waitMs} ms`;
}

/** Asking Kafka for a table partition's offsets kept failing with temporary errors until the deadline. */
export function tableOffsetsGaveUp(
  topic: string,
  partition: number,
  reason: string,
  attempts: number,
  elapsedMs: number,
): string {
  return (
    `${tableLabel(topic, partition)}: offsets failed: ${reason} ` +
    `(temporary Kafka error still there after ${attempts} attempts in ${elapsedMs} ms; giving up)`
  );
}

/** A partition table option is not a non-negative finite number of milliseconds. */
export function tableInvalidOption(option: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `partition table ${option} must be a non-negative finite number of milliseconds, got ${got}`;
}
