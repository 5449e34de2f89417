import { describe, expect, it } from 'vitest';
import { isOffsetOutOfRange, isRetriableKafkaError, isUnknownTopic } from './kafkajs-errors.js';

const error = (name: string, extra: { retriable?: boolean; type?: string; cause?: unknown } = {}): Error =>
  Object.assign(new Error(name), { ...extra, name });

describe('kafkajs error classification', () => {
  it('retries what kafkajs flags retriable and connection or timeout errors', () => {
    expect(isRetriableKafkaError(error('KafkaJSProtocolError', { retriable: true }))).toBe(true);
    expect(isRetriableKafkaError(error('KafkaJSConnectionError'))).toBe(true);
    expect(isRetriableKafkaError(error('KafkaJSRequestTimeoutError', { retriable: false }))).toBe(true);
    expect(isRetriableKafkaError(error('KafkaJSNotImplemented', { retriable: false }))).toBe(false);
    expect(isRetriableKafkaError(new TypeError('bug'))).toBe(false);
    expect(isRetriableKafkaError('text')).toBe(false);
  });

  it('judges KafkaJSNumberOfRetriesExceeded (never retriable itself) by its cause', () => {
    const exceeded = (cause: unknown) => error('KafkaJSNumberOfRetriesExceeded', { retriable: false, cause });
    expect(isRetriableKafkaError(exceeded(error('KafkaJSConnectionError', { retriable: true })))).toBe(true);
    expect(isRetriableKafkaError(exceeded(error('KafkaJSNonRetriableError', { retriable: false })))).toBe(false);
    expect(isRetriableKafkaError(exceeded(undefined))).toBe(false);
    const cyclic = error('KafkaJSNumberOfRetriesExceeded');
    Object.assign(cyclic, { cause: cyclic });
    expect(isRetriableKafkaError(cyclic)).toBe(false);
  });

  it('recognizes unknown topics (also behind kafkajs giving up) and offsets out of range', () => {
    const unknown = error('KafkaJSProtocolError', { type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(isUnknownTopic(unknown)).toBe(true);
    expect(isUnknownTopic(error('KafkaJSNumberOfRetriesExceeded', { cause: unknown }))).toBe(true);
    expect(isUnknownTopic(error('KafkaJSProtocolError', { type: 'LEADER_NOT_AVAILABLE' }))).toBe(false);
    expect(isOffsetOutOfRange(error('KafkaJSOffsetOutOfRange'))).toBe(true);
    expect(isOffsetOutOfRange(null)).toBe(false);
  });
});
