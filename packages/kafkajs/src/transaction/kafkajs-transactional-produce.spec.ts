import { ProduceFailedError } from '@goka/core';
import { isRetriableError } from '@goka/core/kafka';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { RawCluster } from '../kafkajs-internals.js';
import { KafkajsTransactionalProducer } from './kafkajs-transactional-producer.js';

type KafkajsErrorClass = new (error: Error | string, options?: Record<string, unknown>) => Error;
const KafkaJSConnectionError = (kafkajs as unknown as Record<string, KafkajsErrorClass>)['KafkaJSConnectionError'] as KafkajsErrorClass;
const KafkaJSProtocolError = (kafkajs as unknown as Record<string, KafkajsErrorClass>)['KafkaJSProtocolError'] as KafkajsErrorClass;

/** A transactional producer whose partition leader (node 1) fails every Produce with `failure()`. */
function producerFailingWith(failure: () => Error): KafkajsTransactionalProducer {
  const cluster = {
    findLeaderForPartitions: () => ({ '1': [0] }),
    findBroker: () => Promise.reject(failure()),
    refreshMetadata: () => Promise.resolve(),
  } as unknown as RawCluster;
  return new KafkajsTransactionalProducer(cluster, {
    transactionalId: 'tx',
    transactionTimeoutMs: 60_000,
    compression: 'none',
    timeoutMs: 1000,
    retries: 2,
    initialRetryMs: 1,
    maxRetryMs: 1,
    coordinatorTimeoutMs: 1000,
  });
}

const records = [{ topic: 't', partition: 0, key: Buffer.from('k'), value: Buffer.from('v') }];
const parts = [{ topic: 't', partition: 0, key: 't/0', indexes: [0] }];

describe('KafkajsTransactionalProducer.produce out of retries', () => {
  it('is retriable when the leader stayed unreachable (a broker restart): the transaction aborts and is processed again', async () => {
    const producer = producerFailingWith(() => Object.assign(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { code: 'ECONNREFUSED' }), { retriable: true }));
    const error = await producer.produce(parts, records, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProduceFailedError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(isRetriableError(error)).toBe(true);
  });

  it('is not retriable when the broker refused the records for good', async () => {
    const producer = producerFailingWith(() => new KafkaJSProtocolError('The request included a message larger than the max message size the server will accept', { retriable: false }));
    const error = await producer.produce(parts, records, []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProduceFailedError);
    expect(isRetriableError(error)).toBe(false);
  });
});
