import { codecs, defineGroup, Emitter, input, Processor, silentLogger, View } from '@goka/core';
import type { KafkaConnectionOptions } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { KafkajsAdapter } from './index.js';

/**
 * Core components given `brokers` load this package by themselves (`import('@goka/kafkajs')` when they
 * first connect; an optional peer dependency of @goka/core) and use its `KafkajsAdapter`.
 */
describe('brokers resolve to a KafkajsAdapter of this package', () => {
  /** Runs `start` with `createAdmin` (every first connect's first call) recording its adapter and failing. */
  async function adaptersCreatedBy(start: () => Promise<unknown>): Promise<KafkajsAdapter[]> {
    const created: KafkajsAdapter[] = [];
    const original = KafkajsAdapter.prototype.createAdmin;
    KafkajsAdapter.prototype.createAdmin = function (this: KafkajsAdapter) {
      created.push(this);
      throw new Error('stop here');
    };
    try {
      await expect(start()).rejects.toThrow('stop here');
    } finally {
      KafkajsAdapter.prototype.createAdmin = original;
    }
    return created;
  }

  it('passes the broker options and the logger on, and keeps a given kafka', async () => {
    const options: KafkaConnectionOptions = { brokers: ['127.0.0.1:9092'], clientId: 'x', acks: 1, ssl: true };
    const [adapter] = await adaptersCreatedBy(() => new View('t', codecs.string, { ...options, logger: silentLogger }).run());
    expect(adapter).toBeInstanceOf(KafkajsAdapter);
    expect(adapter?.brokers).toEqual(['127.0.0.1:9092']);
    const given = new KafkajsAdapter({ brokers: ['127.0.0.1:1'] });
    const used = await adaptersCreatedBy(() => new View('t', codecs.string, { ...options, kafka: given, logger: silentLogger }).run());
    expect(used).toEqual([given]);
    expect(used[0]).toBe(given);
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
