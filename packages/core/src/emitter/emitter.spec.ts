import { describe, expect, it, vi } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { EmitterClosedError, EmitterKeyError, EmitterOptionsError } from '../errors/emitter-error.js';
import { ProduceFailedError, TopicNotFoundError } from '../errors/kafka-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { ConsumerGroup, ConsumerGroupOptions } from '../kafka/consumer-group.js';
import type { ClientOptions, KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';
import { resolveEmitterOptions } from './emitter-options.js';
import type { EmitterOptions } from './emitter-options.js';

const TOPIC = 'events';

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let done: (() => void) | undefined;
  const promise = new Promise<void>((resolve) => {
    done = resolve;
  });
  return { promise, resolve: () => done?.() };
}

/** Hashes every key to 1, except `boom`, for which it throws. */
function boomHasher(key: string): number {
  if (key === 'boom') throw new Error('hasher failed');
  return 1;
}

/** Lets pending timers of the current turn, I/O callbacks and microtasks run (not a sleep). */
async function nextTurns(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((done) => setImmediate(done));
}

/**
 * Wraps {@link MemoryKafka}: records every send (a copy of its records), how many sends ran at
 * once, the client ids and lifecycle calls; sends can be held back with `hold()`.
 */
class RecordingKafka implements KafkaAdapter {
  readonly name = 'recording';
  readonly sends: OutgoingMessage[][] = [];
  readonly events: string[] = [];
  readonly clientIds: (string | undefined)[] = [];
  admins = 0;
  producers = 0;
  inFlight = 0;
  maxInFlight = 0;
  private gate: Promise<void> | undefined;
  private started: Deferred | undefined;

  constructor(readonly memory: MemoryKafka) {}

  createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup {
    return this.memory.createConsumerGroup(options);
  }

  /** Holds sends from now on until the returned release function is called. */
  hold(): () => void {
    const gate = deferred();
    this.gate = gate.promise;
    return () => {
      this.gate = undefined;
      gate.resolve();
    };
  }

  /** Resolves when the next send starts. */
  nextSend(): Promise<void> {
    this.started = deferred();
    return this.started.promise;
  }

  createProducer(options?: ClientOptions): KafkaProducer {
    this.producers++;
    this.clientIds.push(options?.clientId);
    const inner = this.memory.createProducer(options);
    return {
      connect: async () => {
        this.events.push('connect');
        await inner.connect();
      },
      send: async (records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> => {
        this.sends.push([...records]);
        this.events.push(`send ${records.length}`);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        this.started?.resolve();
        try {
          await this.gate;
          return await inner.send(records);
        } finally {
          this.inFlight--;
          this.events.push('sent');
        }
      },
      disconnect: async () => {
        this.events.push('disconnect');
        await inner.disconnect();
      },
    };
  }

  createAdmin(options?: ClientOptions): KafkaAdmin {
    this.admins++;
    this.clientIds.push(options?.clientId);
    return this.memory.createAdmin(options);
  }

  createReader(options?: ClientOptions): PartitionReader {
    return this.memory.createReader(options);
  }
}

function setup<V = string>(
  options: Partial<EmitterOptions> & { partitions?: number; codec?: Codec<V> } = {},
): { memory: MemoryKafka; kafka: RecordingKafka; emitter: Emitter<V> } {
  const { partitions = 4, codec, ...rest } = options;
  const memory = new MemoryKafka();
  memory.createTopic(TOPIC, { partitions });
  const kafka = new RecordingKafka(memory);
  const emitter = new Emitter<V>(TOPIC, codec ?? (codecs.string as unknown as Codec<V>), {
    kafka,
    logger: silentLogger,
    ...rest,
  });
  return { memory, kafka, emitter };
}

describe('Emitter: wire format', () => {
  it('encodes int64 as decimal ASCII like Goka', async () => {
    const { memory, emitter } = setup({ codec: codecs.int64, partitions: 1 });
    await Promise.all([emitter.emit('a', 42), emitter.emit('b', -7)]);
    const [first, second] = memory.read(TOPIC, 0);
    expect(first?.value).toEqual(Buffer.from([0x34, 0x32]));
    expect(second?.value).toEqual(Buffer.from([0x2d, 0x37]));
    expect(first?.key).toEqual(Buffer.from('a'));
  });

  it('puts each key on its FNV-1a partition and resolves with topic, partition and offset', async () => {
    const { memory, emitter } = setup({ partitions: 8 });
    const some = await emitter.emit('some-key', 'x');
    const user = await emitter.emit('user-0', 'y');
    expect(some).toEqual({ topic: TOPIC, partition: 3, offset: 0 });
    expect(user).toEqual({ topic: TOPIC, partition: 1, offset: 0 });
    expect(memory.read(TOPIC, 3).map((m) => m.value?.toString())).toEqual(['x']);
    expect(memory.read(TOPIC, 1).map((m) => m.key?.toString())).toEqual(['user-0']);
    for (let i = 0; i < 50; i++) {
      const key = `k${i}`;
      expect((await emitter.emit(key, 'v')).partition).toBe(partitionFor(key, 8));
    }
  });

  it('uses a plugged hasher', async () => {
    const { emitter } = setup({ partitions: 5, hasher: (key) => key.length });
    expect((await emitter.emit('abcdefg', 'v')).partition).toBe(2);
  });

  it('writes a tombstone for null (without calling the codec) and an empty value for ""', async () => {
    const encode = vi.fn((value: string) => Buffer.from(value));
    const { memory, emitter } = setup({ partitions: 1, codec: { name: 'spy', encode, decode: (b) => b.toString() } });
    await emitter.emit('gone', null);
    await emitter.emit('empty', '');
    const [tombstone, empty] = memory.read(TOPIC, 0);
    expect(tombstone?.value).toBeNull();
    expect(empty?.value).toEqual(Buffer.alloc(0));
    expect(encode).toHaveBeenCalledTimes(1);
  });

  it('merges default headers with per-emit headers (per-emit win) and sends none when both are empty', async () => {
    const defaultHeaders = { source: Buffer.from('api'), trace: Buffer.from('default') };
    const { memory, kafka, emitter } = setup({ partitions: 1, defaultHeaders });
    const given = { trace: Buffer.from('t-1'), user: Buffer.from('u') };
    const done = emitter.emit('a', '1', { headers: given });
    given.user = Buffer.from('changed after emit');
    await done;
    await emitter.emit('b', '2');
    await emitter.emit('c', '3', { headers: {} });
    const [a, b, c] = memory.read(TOPIC, 0);
    expect(a?.headers).toEqual({ source: Buffer.from('api'), trace: Buffer.from('t-1'), user: Buffer.from('u') });
    expect(b?.headers).toEqual(defaultHeaders);
    expect(c?.headers).toEqual(defaultHeaders);
    expect(defaultHeaders.trace).toEqual(Buffer.from('default'));

    const bare = setup({ partitions: 1 });
    await bare.emitter.emit('x', '1');
    await bare.emitter.emit('y', '2', { headers: {} });
    expect(bare.kafka.sends.flat().map((record) => record.headers)).toEqual([undefined, undefined]);
    expect(kafka.sends.flat()).toHaveLength(3);
  });
});

describe('Emitter: batching and ordering', () => {
  it('sends all emits of one tick in one send, and later emits in another', async () => {
    const { kafka, emitter } = setup();
    const first = Array.from({ length: 100 }, (_, i) => emitter.emit(`key-${i}`, `v${i}`));
    await Promise.all(first);
    expect(kafka.sends.map((records) => records.length)).toEqual([100]);
    await emitter.emit('again', 'v');
    expect(kafka.sends.map((records) => records.length)).toEqual([100, 1]);
  });

  it('with lingerMs 0, emits separated by awaited microtasks still share one send', async () => {
    const { kafka, emitter } = setup();
    const results: Promise<ProducedOffset>[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(emitter.emit('k', `v${i}`));
      await Promise.resolve();
    }
    await Promise.all(results);
    expect(kafka.sends).toHaveLength(1);
  });

  it('sends a full batch at once and splits by maxBatchRecords and maxBatchBytes', async () => {
    const byCount = setup({ maxBatchRecords: 10, lingerMs: 60_000 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => byCount.emitter.emit(`k${i}`, 'v')));
    expect(byCount.kafka.sends.map((records) => records.length)).toEqual([10, 10, 5]);

    // key "kN" (2 bytes) + 8-byte value = 10 bytes a record; 35 bytes fit 3 records.
    const byBytes = setup({ maxBatchBytes: 35, lingerMs: 60_000 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => byBytes.emitter.emit(`k${i}`, '12345678')));
    expect(byBytes.kafka.sends.map((records) => records.length)).toEqual([3, 3, 1]);
  });

  it('keeps one send in flight; records emitted meanwhile go out together right after it', async () => {
    const { kafka, emitter } = setup({ lingerMs: 60_000 });
    const release = kafka.hold();
    const started = kafka.nextSend();
    const first = emitter.emitSync('k', 'first');
    await started;
    const more = [emitter.emit('k', 'second'), emitter.emitSync('k', 'third'), emitter.emit('j', 'x')];
    await nextTurns();
    expect(kafka.sends).toHaveLength(1);
    release();
    await Promise.all([first, ...more]);
    expect(kafka.sends.map((records) => records.map((r) => r.value?.toString()))).toEqual([
      ['first'],
      ['second', 'third', 'x'],
    ]);
    expect(kafka.maxInFlight).toBe(1);
  });

  it('writes the records of each key in emit order, with increasing offsets per partition', async () => {
    const { memory, kafka, emitter } = setup({ partitions: 3, maxBatchRecords: 7, codec: codecs.int64 });
    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const results: Promise<ProducedOffset>[] = [];
    for (let i = 0; i < 2_000; i++) {
      results.push(emitter.emit(keys[i % keys.length] as string, i));
      if (i % 97 === 0) await Promise.resolve();
      if (i % 331 === 0) await nextTurns(1);
    }
    const offsets = await Promise.all(results);
    expect(kafka.sends.length).toBeGreaterThan(100);
    expect(kafka.maxInFlight).toBe(1);

    const lastOffset = new Map<number, number>();
    for (const { partition, offset } of offsets) {
      expect(offset).toBeGreaterThan(lastOffset.get(partition) ?? -1);
      lastOffset.set(partition, offset);
    }
    for (let partition = 0; partition < 3; partition++) {
      const lastValue = new Map<string, number>();
      for (const message of memory.read(TOPIC, partition)) {
        const key = message.key?.toString() ?? '';
        const value = Number(message.value?.toString());
        expect(value).toBeGreaterThan(lastValue.get(key) ?? -1);
        lastValue.set(key, value);
      }
    }
    expect(offsets.length).toBe(2_000);
  });

  it('emitSync sends without waiting for the linger window, taking buffered records along', async () => {
    const { kafka, emitter } = setup({ lingerMs: 60_000 });
    const buffered = emitter.emit('a', '1');
    const offset = await emitter.emitSync('b', '2');
    await buffered;
    expect(offset.topic).toBe(TOPIC);
    expect(kafka.sends.map((records) => records.length)).toEqual([1 + 1]);
  });
});

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
