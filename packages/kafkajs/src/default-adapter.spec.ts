import { codecs, defineGroup, Emitter, input, Processor, resolveKafka, silentLogger, View } from '@goka/core';
import type { KafkaConnectionOptions } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { KafkajsAdapter } from './index.js';

/**
 * Core components given `brokers` load this package by themselves (`import('@goka/kafkajs')` when they
 * first connect; an optional peer dependency of @goka/core) and use its `KafkajsAdapter`.
 */
describe('brokers resolve to a KafkajsAdapter of this package', () => {
  it('passes the broker options and the logger on, and keeps a given kafka', async () => {
    const options: KafkaConnectionOptions = { brokers: ['127.0.0.1:9092'], clientId: 'x', acks: 1, ssl: true };
    const adapter = await resolveKafka(options, 'View "t"', silentLogger);
    expect(adapter).toBeInstanceOf(KafkajsAdapter);
    expect((adapter as KafkajsAdapter).brokers).toEqual(['127.0.0.1:9092']);
    const given = new KafkajsAdapter({ brokers: ['127.0.0.1:1'] });
    expect(await resolveKafka({ ...options, kafka: given }, 'View "t"', silentLogger)).toBe(given);
  });

  it('an emitter, a view and a processor create their adapter when they first connect, not before', async () => {
    const created: KafkajsAdapter[] = [];
    const original = KafkajsAdapter.prototype.createAdmin;
    // Every first connect creates an admin client: record the adapter it is created on, and fail it.
    KafkajsAdapter.prototype.createAdmin = function (this: KafkajsAdapter) {
      created.push(this);
      throw new Error('stop here');
    };
    try {
      const options = { brokers: ['127.0.0.1:1'], logger: silentLogger };
      const emitter = new Emitter('clicks', codecs.string, options);
      const view = new View('clicks-table', codecs.string, options);
      const processor = new Processor(defineGroup('clicks', input('clicks', codecs.string, () => {})), options);
      expect(created).toEqual([]);
      await expect(emitter.start()).rejects.toThrow('stop here');
      await expect(view.run()).rejects.toThrow('stop here');
      await expect(processor.run()).rejects.toThrow('stop here');
      await emitter.finish();
      expect(created).toHaveLength(3);
      for (const adapter of created) expect(adapter.brokers).toEqual(['127.0.0.1:1']);
      // One adapter per component: a second connect of the emitter would reuse its adapter.
      expect(new Set(created).size).toBe(3);
    } finally {
      KafkajsAdapter.prototype.createAdmin = original;
    }
  });
});
