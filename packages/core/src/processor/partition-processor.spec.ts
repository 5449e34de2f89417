import { describe, expect, it } from 'vitest';
import { KafkaConnectionError, ProduceFailedError } from '../errors/kafka-error.js';
import { KafkaAuthenticationError } from '../errors/kafka-security-error.js';
import { isRetriableProduceError } from './partition-processor.js';

/** A Kafka client's own error (not a GokaError), with its `retriable` flag and `cause`. */
function clientError(name: string, retriable: boolean, cause?: unknown): Error {
  return Object.assign(new Error(name), { name, retriable, ...(cause === undefined ? {} : { cause }) });
}

describe('isRetriableProduceError (the rule for what an adapter throws)', () => {
  it("retries a client's error flagged retriable, however the client's retrier wrapped it", () => {
    const refused = clientError('ConnectionError', true);
    expect(isRetriableProduceError(refused)).toBe(true);
    // The retrier gave up: the wrapper is not retriable itself, the connection error in it is.
    const bailed = clientError('NonRetriableError', false, refused);
    expect(isRetriableProduceError(bailed)).toBe(true);
    const exceeded = clientError('NumberOfRetriesExceeded', false, refused);
    expect(isRetriableProduceError(exceeded)).toBe(true);
  });

  it('lets the first GokaError in the cause chain decide by its retriable flag (what the adapter set)', () => {
    const refused = clientError('ConnectionError', true);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: refused, retriable: true }))).toBe(true);
    expect(isRetriableProduceError(new KafkaConnectionError(['b:9092'], 'c'))).toBe(true);
    // The adapter said no: a retriable client error under it does not count.
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: refused }))).toBe(false);
    expect(isRetriableProduceError(new KafkaAuthenticationError(['b:9092'], 'c', { mechanism: 'PLAIN', cause: refused }))).toBe(false);
    // A retriable client error around a GokaError is retriable.
    expect(isRetriableProduceError(clientError('RequestTimeout', true, new ProduceFailedError('t', 0)))).toBe(true);
  });

  it('does not retry what sending again cannot fix', () => {
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: new Error('broker down') }))).toBe(false);
    const tooLarge = clientError('ProtocolError', false);
    expect(isRetriableProduceError(tooLarge)).toBe(false);
    expect(isRetriableProduceError(new ProduceFailedError('t', 0, { cause: tooLarge }))).toBe(false);
    // Only `retriable: true` counts (not a truthy value, not a name).
    expect(isRetriableProduceError(Object.assign(new Error('x'), { name: 'ConnectionError', retriable: 'yes' }))).toBe(false);
    expect(isRetriableProduceError(new TypeError('bug'))).toBe(false);
    expect(isRetriableProduceError(undefined)).toBe(false);
  });

  it('stops at a cyclic cause', () => {
    const error: Error & { cause?: unknown } = clientError('Wrapper', false);
    error.cause = error;
    expect(isRetriableProduceError(error)).toBe(false);
  });
});
