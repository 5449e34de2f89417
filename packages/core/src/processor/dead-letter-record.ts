import type { FailedRecord } from '../policy/error-policy.js';
import type { Headers } from '../kafka/message.js';
import { errorMessage } from '../util/error-message.js';

/**
 * The headers a dead-letter record carries besides the original ones (values are UTF-8 text; numbers
 * in decimal). A `goka-dlq-*` header of the original record is replaced.
 */
export const DEAD_LETTER_HEADERS = Object.freeze({
  /** The topic the record was consumed from. */
  topic: 'goka-dlq-topic',
  /** Its partition. */
  partition: 'goka-dlq-partition',
  /** Its offset. */
  offset: 'goka-dlq-offset',
  /** Its timestamp, milliseconds since the epoch. */
  timestamp: 'goka-dlq-timestamp',
  /** The processor group that failed on it. */
  group: 'goka-dlq-group',
  /** The class of the error (`CodecError` for a value that did not decode, else what the callback threw). */
  errorClass: 'goka-dlq-error-class',
  /** The error's message, cut to its first 4096 characters. */
  errorMessage: 'goka-dlq-error-message',
  /** How many times the callback ran (0 when the value did not decode). */
  attempts: 'goka-dlq-attempts',
});

const MAX_MESSAGE_CHARS = 4096;

/** The headers of the dead-letter record of `record`, which failed with `error` after `attempts` runs. */
export function deadLetterHeaders(record: FailedRecord, error: unknown, attempts: number): Headers {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (!name.startsWith('goka-dlq-')) headers[name] = value;
  }
  headers[DEAD_LETTER_HEADERS.topic] = text(record.topic);
  headers[DEAD_LETTER_HEADERS.partition] = text(record.partition);
  headers[DEAD_LETTER_HEADERS.offset] = text(record.offset);
  headers[DEAD_LETTER_HEADERS.timestamp] = text(record.timestamp);
  headers[DEAD_LETTER_HEADERS.group] = text(record.group);
  headers[DEAD_LETTER_HEADERS.errorClass] = text(errorClass(error));
  headers[DEAD_LETTER_HEADERS.errorMessage] = text(errorMessage(error).slice(0, MAX_MESSAGE_CHARS));
  headers[DEAD_LETTER_HEADERS.attempts] = text(attempts);
  return headers;
}

function text(value: string | number): Buffer {
  return Buffer.from(String(value), 'utf8');
}

function errorClass(error: unknown): string {
  if (error instanceof Error) return error.constructor.name === '' ? error.name : error.constructor.name;
  return typeof error;
}
