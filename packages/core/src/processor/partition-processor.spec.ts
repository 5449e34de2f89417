import { describe, expect, it } from 'vitest';
import { KafkaConnectionError, ProduceFailedError } from '../errors/kafka-error.js';
import { isRetriableProduceError } from './partition-processor.js';

/** A kafkajs-shaped error (the processor classifies by name, `retriable` and `cause`). */
function kafkajsError(name: string, retriable: boolean, cause?: unknown): Error {
  return Object.assign(new Error(name), { name, retriable, ...(cause === undefined ? {} : { cause }) });
}

describe('isRetriableProduceError', () => {
  it('retries connection failures however kafkajs wrapped them once its own retrier gave up', () => {
    const refused = kafkajsError('KafkaJSConnectionError', true);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: refused }))).toBe(true);
    // sendMessages: cluster.connect() gave up → KafkaJSNonRetriableError with the connection error as cause
    const bailed = kafkajsError('KafkaJSNonRetriableError', false, refused);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: bailed }))).toBe(true);
    const exceeded = kafkajsError('KafkaJSNumberOfRetriesExceeded', false, refused);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: exceeded }))).toBe(true);
    expect(isRetriableProduceError(new KafkaConnectionError(['b:9092'], 'c'))).toBe(true);
  });

  it('does not retry what sending again cannot fix', () => {
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: new Error('broker down') }))).toBe(false);
    const tooLarge = kafkajsError('KafkaJSProtocolError', false);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: tooLarge }))).toBe(false);
    expect(isRetriableProduceError(new TypeError('bug'))).toBe(false);
    expect(isRetriableProduceError(undefined)).toBe(false);
  });
});
