import { describe, expect, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { EmitterKeyError } from '../errors/emitter-error.js';
import { ProduceFailedError, TopicNotFoundError } from '../errors/kafka-error.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { nextTurns, RecordingKafka, setup, TOPIC } from '../test-support/emitter-fixture.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';

/** Hashes every key to 1, except `boom`, for which it throws. */
function boomHasher(key: string): number {
  if (key === 'boom') throw new Error('hasher failed');
  return 1;
}

describe('Emitter: failures', () => {
  it('rejects every emit of a failed send with the producer error and works again once the fault heals', async () => {
    const { memory, emitter } = setup({ partitions: 2 });
    memory.setProduceFault(() => new Error('broker down'));
    const failed = await Promise.allSettled([emitter.emit('a', '1'), emitter.emit('b', '2'), emitter.emit('c', '3')]);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(ProduceFailedError);
      expect((reason as Error).message).toContain('broker down');
    }
    memory.setProduceFault(undefined);
    await expect(emitter.emit('a', '4')).resolves.toMatchObject({ topic: TOPIC, offset: 0 });
  });

  it('a failed send does not fail the batch queued behind it', async () => {
    const { memory, kafka, emitter } = setup();
    const release = kafka.hold();
    const started = kafka.nextSend();
    memory.setProduceFault((records) => (records.some((r) => r.value?.toString() === 'bad') ? new Error('x') : undefined));
    const bad = emitter.emitSync('k', 'bad');
    await started;
    const good = emitter.emit('k', 'good');
    release();
    await expect(bad).rejects.toBeInstanceOf(ProduceFailedError);
    await expect(good).resolves.toMatchObject({ offset: 0 });
  });

  it('rejects an unencodable value with a CodecError naming topic and key, and sends nothing', async () => {
    const { kafka, emitter } = setup({ codec: codecs.int64 });
    const error = await emitter.emit('user-1', 1.5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ topic: TOPIC, key: 'user-1', operation: 'encode', codec: 'int64' });
    expect((error as Error).message).toBe(
      'int64 codec cannot encode the value of topic "events" key "user-1": 1.5 is not an integer',
    );
    await expect(emitter.emitSync('user-2', Number.NaN)).rejects.toThrow('key "user-2"');
    await nextTurns();
    expect(kafka.sends).toHaveLength(0);
    await emitter.emit('user-1', 2);
    expect(kafka.sends.flat().map((r) => r.value?.toString())).toEqual(['2']);
  });

  it('wraps errors of user codecs with the codec name', async () => {
    const codec: Codec<string> = {
      name: 'proto',
      encode: () => {
        throw new TypeError('missing field');
      },
      decode: (bytes) => bytes.toString(),
    };
    const { emitter } = setup({ codec });
    await expect(emitter.emit('k', 'v')).rejects.toThrow('proto codec cannot encode the value of topic "events" key "k": missing field');
  });

  it('rejects a key that is not a string', async () => {
    const { emitter } = setup();
    const key: unknown = 42;
    const error = await emitter.emit(key as string, 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmitterKeyError);
    expect((error as Error).message).toBe('emitter for topic "events": keys are strings, got number');
  });

  it('rejects only the record whose hasher throws', async () => {
    const { emitter } = setup({ hasher: boomHasher });
    const [bad, good] = await Promise.allSettled([emitter.emit('boom', 'v'), emitter.emit('fine', 'v')]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'hasher failed' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { partition: 1 } });
  });

  it('a missing topic rejects emits and start() with TopicNotFoundError naming it; a later emit retries', async () => {
    const memory = new MemoryKafka();
    const kafka = new RecordingKafka(memory);
    const emitter = new Emitter('no-such-topic', codecs.string, { kafka, logger: silentLogger });
    const errors = await Promise.all([
      emitter.emit('a', '1').catch((e: unknown) => e),
      emitter.emit('b', '2').catch((e: unknown) => e),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TopicNotFoundError);
      expect((error as Error).message).toContain('"no-such-topic"');
    }
    await expect(emitter.start()).rejects.toBeInstanceOf(TopicNotFoundError);
    expect(kafka.sends).toHaveLength(0);
    expect(memory.topicNames()).toEqual([]);

    memory.createTopic('no-such-topic', { partitions: 2 });
    await expect(emitter.emit('a', '1')).resolves.toMatchObject({ topic: 'no-such-topic' });
  });

  it('finish still returns when sends fail', async () => {
    const { memory, kafka, emitter } = setup();
    memory.setProduceFault(() => new Error('connection refused'));
    const result = emitter.emit('a', '1');
    await emitter.finish();
    await expect(result).rejects.toBeInstanceOf(ProduceFailedError);
    expect(kafka.events.at(-1)).toBe('disconnect');
  });
});
