import { describe, expect, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { EmitterClosedError, EmitterOptionsError } from '../errors/emitter-error.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { nextTurns, RecordingKafka, setup, TOPIC } from '../test-support/emitter-fixture.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';
import { resolveEmitterOptions } from './emitter-options.js';
import type { EmitterOptions } from './emitter-options.js';

describe('Emitter: lifecycle', () => {
  it('connects lazily once, with the default client id', async () => {
    const { kafka, emitter } = setup();
    expect(kafka.producers + kafka.admins).toBe(0);
    await Promise.all([emitter.emit('a', '1'), emitter.start(), emitter.emit('b', '2')]);
    await emitter.emit('c', '3');
    await emitter.start();
    expect([kafka.admins, kafka.producers]).toEqual([1, 1]);
    expect(new Set(kafka.clientIds)).toEqual(new Set(['goka-emitter-events']));
    expect(kafka.events.filter((e) => e === 'connect')).toHaveLength(1);
  });

  it('passes a configured client id', async () => {
    const { kafka, emitter } = setup({ clientId: 'checkout-api' });
    await emitter.start();
    expect(new Set(kafka.clientIds)).toEqual(new Set(['checkout-api']));
  });

  it('rejects emits after finish with EmitterClosedError and sends nothing', async () => {
    const { kafka, emitter } = setup();
    await emitter.finish();
    const error = await emitter.emit('a', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmitterClosedError);
    expect((error as Error).message).toBe(
      'emitter for topic "events" already closed: finish() was called (create a new Emitter to emit again)',
    );
    await expect(emitter.emitSync('a', '1')).rejects.toBeInstanceOf(EmitterClosedError);
    await expect(emitter.start()).rejects.toBeInstanceOf(EmitterClosedError);
    expect(kafka.sends).toHaveLength(0);
    expect(kafka.producers).toBe(0);
  });

  it('finish flushes buffered records without waiting for the linger time, then disconnects', async () => {
    const { memory, kafka, emitter } = setup({ partitions: 1, lingerMs: 60_000 });
    const results = [emitter.emit('a', '1'), emitter.emit('b', '2')];
    await emitter.finish();
    await expect(Promise.all(results)).resolves.toHaveLength(2);
    expect(memory.read(TOPIC, 0)).toHaveLength(2);
    expect(kafka.events).toEqual(['connect', 'send 2', 'sent', 'disconnect']);
  });

  it('finish waits for in-flight emits and is idempotent', async () => {
    const { kafka, emitter } = setup();
    const release = kafka.hold();
    const started = kafka.nextSend();
    const inFlight = emitter.emitSync('a', '1');
    await started;
    const queued = emitter.emit('b', '2');
    let finished = false;
    const finish = emitter.finish().then(() => {
      finished = true;
    });
    expect(emitter.finish()).toBe(emitter.finish());
    await nextTurns();
    expect(finished).toBe(false);
    expect(kafka.events).not.toContain('disconnect');
    release();
    await finish;
    await expect(Promise.all([inFlight, queued])).resolves.toHaveLength(2);
    expect(kafka.events).toEqual(['connect', 'send 1', 'sent', 'send 1', 'sent', 'disconnect']);
    await emitter.finish();
    expect(kafka.events.filter((e) => e === 'disconnect')).toHaveLength(1);
  });

  it('finish during start() waits for the connection and then closes it', async () => {
    const { kafka, emitter } = setup();
    const start = emitter.start();
    await emitter.finish();
    await start;
    expect(kafka.events).toEqual(['connect', 'disconnect']);
  });

  it('rejects finish when disconnecting fails', async () => {
    const memory = new MemoryKafka();
    memory.createTopic(TOPIC);
    const kafka: KafkaAdapter = {
      name: 'broken-disconnect',
      createAdmin: (options) => memory.createAdmin(options),
      createReader: (options) => memory.createReader(options),
      createConsumerGroup: (options) => memory.createConsumerGroup(options),
      createProducer: (options) => {
        const inner = memory.createProducer(options);
        return {
          connect: () => inner.connect(),
          send: (records) => inner.send(records),
          disconnect: () => Promise.reject(new Error('socket hang up')),
        };
      },
    };
    const emitter = new Emitter(TOPIC, codecs.string, { kafka, logger: silentLogger });
    await emitter.emit('a', '1');
    await expect(emitter.finish()).rejects.toThrow('socket hang up');
  });
});

describe('Emitter: options', () => {
  const memory = new MemoryKafka();
  const valid: EmitterOptions = { kafka: memory };

  it.each([
    ['lingerMs', { lingerMs: -1 }, 'lingerMs must be a non-negative number of milliseconds, got -1'],
    ['maxBatchRecords', { maxBatchRecords: 0 }, 'maxBatchRecords must be a positive integer, got 0'],
    ['maxBatchBytes', { maxBatchBytes: 1.5 }, 'maxBatchBytes must be a positive integer, got 1.5'],
    ['clientId', { clientId: '' }, 'clientId must be a non-empty string, got ""'],
    ['hasher', { hasher: 'fnv' }, 'hasher must be a function, got "fnv"'],
    ['kafka', { kafka: { name: 'fake' } }, 'kafka must be a Kafka adapter (e.g. new MemoryKafka()), got Object'],
  ])('rejects an unusable %s', (option, override, message) => {
    const options = { ...valid, ...override } as unknown as EmitterOptions;
    const error = (() => {
      try {
        return new Emitter(TOPIC, codecs.string, options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EmitterOptionsError);
    expect(error).toMatchObject({ topic: TOPIC, option });
    expect((error as Error).message).toBe(`invalid options of the emitter for topic "events": ${message}`);
  });

  it('rejects an empty topic and a missing codec', () => {
    expect(() => new Emitter('', codecs.string, valid)).toThrow('topic must be a non-empty string');
    const codec = undefined as unknown as Codec<string>;
    expect(() => new Emitter(TOPIC, codec, valid)).toThrow('codec must be a Codec with an encode function');
  });

  it('needs brokers or kafka, and defers the adapter for brokers to its first connect (nothing is loaded yet)', () => {
    expect(() => new Emitter(TOPIC, codecs.string, {})).toThrow('Emitter "events" needs `brokers`');
    const resolved = resolveEmitterOptions(TOPIC, codecs.string, { brokers: ['127.0.0.1:1'], logger: silentLogger });
    // The default adapter (KafkajsAdapter of @goka/kafkajs) is created when the emitter connects: its
    // own spec there checks what brokers turn into.
    expect(typeof resolved.kafka).toBe('function');
    expect(resolved.clientId).toBe('goka-emitter-events');
    expect(resolveEmitterOptions(TOPIC, codecs.string, { kafka: memory, brokers: ['127.0.0.1:1'] }).kafka).toBe(memory);
  });

  it('does not touch Kafka when constructed', () => {
    const kafka = new RecordingKafka(memory);
    const emitter = new Emitter(TOPIC, codecs.string, { kafka });
    expect(emitter.topic).toBe(TOPIC);
    expect(kafka.admins + kafka.producers).toBe(0);
  });
});
