import { GokaError } from '@goka/core';
import { isRetriableError } from '@goka/core/kafka';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { RawCluster } from '../kafkajs-internals.js';
import { KafkajsProducer } from './kafkajs-producer.js';

/** kafkajs' error classes as its runtime defines them (its type declarations leave out some arguments). */
type KafkajsErrorClass = new (error: Error | string, options?: Record<string, unknown>) => Error;
const kafkajsError = (name: string): KafkajsErrorClass => (kafkajs as unknown as Record<string, KafkajsErrorClass>)[name] as KafkajsErrorClass;
const KafkaJSConnectionError = kafkajsError('KafkaJSConnectionError');
const KafkaJSNonRetriableError = kafkajsError('KafkaJSNonRetriableError');
const KafkaJSNumberOfRetriesExceeded = kafkajsError('KafkaJSNumberOfRetriesExceeded');

/** A producer on a cluster whose connect fails with `failure()`. */
function producerFailingWith(failure: () => Error): KafkajsProducer {
  const cluster = { connect: () => Promise.reject(failure()), disconnect: () => Promise.resolve() } as unknown as RawCluster;
  return new KafkajsProducer(cluster, { acks: -1, timeoutMs: 1000, retries: 0, initialRetryMs: 1, maxRetryMs: 1, idempotent: false, compression: 'none' });
}

const record = { topic: 't', partition: 0, key: Buffer.from('k'), value: Buffer.from('v') };

describe('KafkajsProducer: what its connect and send reject with, as core reads it', () => {
  it('a broker that refused the connection after kafkajs gave up is retriable (emitters and processors retry)', async () => {
    const refused = (): Error => new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { code: 'ECONNREFUSED' });
    for (const failure of [refused, () => new KafkaJSNonRetriableError(refused(), { cause: refused() })]) {
      const producer = producerFailingWith(failure);
      const error = await producer.send([record]).catch((e: unknown) => e);
      expect((error as Error).message).toBe('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      expect(isRetriableError(error)).toBe(true);
    }
  });

  it('a rejected broker certificate is not retriable, though kafkajs flags its connection error retriable', async () => {
    const untrusted = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const producer = producerFailingWith(() => new KafkaJSNumberOfRetriesExceeded(untrusted, { retryCount: 0, retryTime: 100 }));
    const error = await producer.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GokaError);
    expect(isRetriableError(error)).toBe(false);
    expect((error as Error).message).toContain('self-signed certificate');
  });
});
