import { GokaError, KafkaConnectionError, ProduceFailedError } from '@goka/core';
import { isRetriableError } from '@goka/core/kafka';
import { describe, expect, it } from 'vitest';
import { portError, requestError } from './kafkajs-port-errors.js';

describe('errors leaving the adapter (portError, requestError) read as core reads them', () => {
  const kafkajsError = (name: string, retriable: boolean, extra: { code?: string; cause?: unknown } = {}): Error =>
    Object.assign(new Error(`${name} happened`), { name, retriable, ...extra });

  it('lets kafkajs errors through unchanged when core judges them as the adapter does', () => {
    const refused = kafkajsError('KafkaJSConnectionError', true, { code: 'ECONNREFUSED' });
    expect(portError(refused)).toBe(refused);
    // kafkajs' retrier gave up on a refused connection: retriable for both.
    const bailed = kafkajsError('KafkaJSNonRetriableError', false, { cause: refused });
    expect(portError(bailed)).toBe(bailed);
    expect(isRetriableError(bailed)).toBe(true);
    const denied = kafkajsError('KafkaJSProtocolError', false);
    expect(portError(denied)).toBe(denied);
    const typed = new ProduceFailedError('t', 0, { cause: refused });
    expect(portError(typed)).toBe(typed);
  });

  it("wraps what core would misjudge in a GokaError with the adapter's verdict", () => {
    // kafkajs flags a rejected broker certificate retriable: connecting again will not help.
    const untrusted = kafkajsError('KafkaJSConnectionError', true, { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const certificate = portError(kafkajsError('KafkaJSNumberOfRetriesExceeded', false, { cause: untrusted }));
    expect(certificate).toBeInstanceOf(GokaError);
    expect(certificate).toMatchObject({ retriable: false, message: 'KafkaJSNumberOfRetriesExceeded happened' });
    expect(isRetriableError(certificate)).toBe(false);
    // kafkajs flags a lock timeout not retriable; waiting for the lock again may well succeed.
    const lock = kafkajsError('KafkaJSLockTimeout', false);
    const timedOut = portError(lock);
    expect(timedOut).toMatchObject({ retriable: true, cause: lock });
    expect(isRetriableError(timedOut)).toBe(true);
  });

  it('makes a failed, closed or timed-out connection of a request a KafkaConnectionError, which core waits out', () => {
    for (const name of ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound']) {
      const failure = kafkajsError('KafkaJSNumberOfRetriesExceeded', false, { cause: kafkajsError(name, true) });
      const connection = requestError(failure, ['b:9092'], 'goka-view-t');
      expect(connection).toBeInstanceOf(KafkaConnectionError);
      expect(connection).toMatchObject({ brokers: ['b:9092'], clientId: 'goka-view-t', retriable: true, cause: failure });
    }
    const untrusted = requestError(kafkajsError('KafkaJSConnectionError', true, { code: 'CERT_HAS_EXPIRED' }), ['b:9092'], 'c');
    expect(untrusted).toMatchObject({ name: 'KafkaConnectionError', retriable: false });
    const notLeader = Object.assign(kafkajsError('KafkaJSProtocolError', true), { type: 'NOT_LEADER_FOR_PARTITION' });
    expect(requestError(notLeader, ['b:9092'], 'c')).toBe(notLeader);
  });
});
