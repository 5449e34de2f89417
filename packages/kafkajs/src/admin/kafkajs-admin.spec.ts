import { KafkaConnectionError } from '@goka/core';
import type { Admin } from 'kafkajs';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkajsAdmin } from './kafkajs-admin.js';

type KafkajsErrorClass = new (error: Error | string, options?: Record<string, unknown>) => Error;
const kafkajsError = (name: string): KafkajsErrorClass => (kafkajs as unknown as Record<string, KafkajsErrorClass>)[name] as KafkajsErrorClass;
const KafkaJSConnectionClosedError = kafkajsError('KafkaJSConnectionClosedError');
const KafkaJSNumberOfRetriesExceeded = kafkajsError('KafkaJSNumberOfRetriesExceeded');

const bounded = { brokers: ['127.0.0.1:9092'], clientId: 'goka-view-t', timeoutMs: 100, probe: () => undefined as never };

describe('KafkajsAdmin.offsets', () => {
  it('turns a connection kafkajs lost into a retriable KafkaConnectionError (a table waits it out)', async () => {
    const closed = new KafkaJSConnectionClosedError('Closed connection', { host: '127.0.0.1', port: 9092 });
    const failure = new KafkaJSNumberOfRetriesExceeded(closed, { retryCount: 5, retryTime: 100 });
    const admin = new KafkajsAdmin({ fetchTopicOffsets: () => Promise.reject(failure) } as unknown as Admin, bounded);
    const error = await admin.offsets('t', [0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect(error).toMatchObject({ brokers: ['127.0.0.1:9092'], clientId: 'goka-view-t', retriable: true, cause: failure });
  });

  it('answers the oldest offset and high-water mark per partition asked', async () => {
    const offsets = [{ partition: 1, offset: '9', low: '2', high: '9' }];
    const admin = new KafkajsAdmin({ fetchTopicOffsets: () => Promise.resolve(offsets) } as unknown as Admin, bounded);
    expect(await admin.offsets('t', [1, 0])).toEqual([
      { oldest: 2, hwm: 9 },
      { oldest: 0, hwm: 0 },
    ]);
  });
});
