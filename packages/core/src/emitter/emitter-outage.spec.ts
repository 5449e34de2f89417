import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { DeliveryTimeoutError } from '../errors/emitter-error.js';
import { ProduceFailedError } from '../errors/kafka-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { ConsumerGroup, ConsumerGroupOptions } from '../kafka/consumer-group.js';
import type { ClientOptions, KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';
import type { EmitterOptions } from './emitter-options.js';

const TOPIC = 'events';

/** What a client throws when a broker refuses the connection (flagged retriable). */
function connectionRefused(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), {
    name: 'ConnectionError',
    retriable: true,
  });
}

/**
 * A broker that is down until `heal()`: every send fails with a retriable connection error. Each
 * refused send is counted and its records' values recorded; `refusals(n)` resolves once `n` sends
 * were refused (a signal, not a sleep).
 */
class Outage {
  refused = 0;
  readonly refusedValues: string[][] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly memory: MemoryKafka) {
    memory.setProduceFault((records) => {
      this.refused++;
      this.refusedValues.push(records.map((record) => record.value?.toString() ?? ''));
      this.waiters = this.waiters.filter((waiter) => {
        if (this.refused < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      return connectionRefused();
    });
  }

  refusals(count: number): Promise<void> {
    if (this.refused >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  heal(): void {
    this.memory.setProduceFault(undefined);
  }
}

function setup(options: Partial<EmitterOptions> & { partitions?: number } = {}): { memory: MemoryKafka; emitter: Emitter<string> } {
  const { partitions = 2, ...rest } = options;
  const memory = new MemoryKafka();
  memory.createTopic(TOPIC, { partitions });
  const emitter = new Emitter(TOPIC, codecs.string, { kafka: memory, logger: silentLogger, retryBackoffMs: 1, maxRetryBackoffMs: 5, ...rest });
  return { memory, emitter };
}

/** Every value in the topic, per partition in offset order. */
function topicValues(memory: MemoryKafka, partitions: number): string[][] {
  return Array.from({ length: partitions }, (_, partition) => memory.read(TOPIC, partition).map((m) => m.value?.toString() ?? ''));
}

/** An emitter on `memory` whose first send fails with what `firstSend` returns (it may write some records first). */
function scriptedEmitter(memory: MemoryKafka, firstSend: (records: readonly OutgoingMessage[]) => Error): Emitter<string> {
  let first = true;
  const producer: KafkaProducer = {
    connect: async () => {},
    disconnect: async () => {},
    send: async (records) => {
      if (!first) return memory.produce(records);
      first = false;
      throw firstSend(records);
    },
  };
  const kafka: KafkaAdapter = {
    name: 'scripted',
    createProducer: () => producer,
    createAdmin: (options?: ClientOptions): KafkaAdmin => memory.createAdmin(options),
    createReader: (options?: ClientOptions): PartitionReader => memory.createReader(options),
    createConsumerGroup: (options: ConsumerGroupOptions): ConsumerGroup => memory.createConsumerGroup(options),
  };
  return new Emitter(TOPIC, codecs.string, { kafka, logger: silentLogger, retryBackoffMs: 1 });
}

/** Settles `promise` into a flag that tells whether it settled yet. */
function track<T>(promise: Promise<T>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('Emitter: riding out outages', () => {
  it('retries sends that fail with a retriable error until they go through; each record is written once, in order', async () => {
    const { memory, emitter } = setup({ partitions: 1 });
    const outage = new Outage(memory);
    const first = ['1', '2', '3'].map((value) => emitter.emit('k', value));
    await outage.refusals(3);
    expect(emitter.stats()).toMatchObject({ bufferedRecords: 3, retrying: true });
    // Emitted during the outage: must not overtake the records being retried.
    const later = ['4', '5'].map((value) => emitter.emit('k', value));
    await outage.refusals(5);
    outage.heal();
    const offsets = await Promise.all([...first, ...later]);
    expect(offsets.map((o) => o.offset)).toEqual([0, 1, 2, 3, 4]);
    expect(topicValues(memory, 1)).toEqual([['1', '2', '3', '4', '5']]);
    expect(emitter.stats()).toEqual({ bufferedRecords: 0, bufferedBytes: 0, waitingEmits: 0, retrying: false });
    await emitter.finish();
  });

  it('retries only the records the broker did not acknowledge when a send failed part-way', async () => {
    const memory = new MemoryKafka();
    memory.createTopic(TOPIC, { partitions: 2 });
    // The first send writes partition 0's records and then loses the connection for partition 1's
    // (the adapter flags its error retriable, as the kafkajs producer does for a connection it lost).
    const emitter = scriptedEmitter(memory, (records) => {
      const written = new Map(records.filter((r) => r.partition === 0).map((r) => [r, memory.produce([r])[0] as ProducedOffset]));
      const acknowledgedOffsets = records.map((r) => written.get(r)?.offset ?? -1);
      return new ProduceFailedError(TOPIC, 1, { cause: connectionRefused(), retriable: true, acknowledgedOffsets });
    });
    // 'a' and 'b' land on partitions 0 and 1 of 2 (FNV-1a).
    const keys = ['a', 'b', 'a', 'b'];
    const results = await Promise.all(keys.map((key, i) => emitter.emit(key, `v${i}`)));
    expect(results.map((r) => r.partition)).toEqual([0, 1, 0, 1]);
    expect(topicValues(memory, 2)).toEqual([
      ['v0', 'v2'],
      ['v1', 'v3'],
    ]);
    await emitter.finish();
  });

  it('a non-retriable failure of one partition rejects that partition\'s records only; the others of the send are sent again', async () => {
    const memory = new MemoryKafka();
    memory.createTopic(TOPIC, { partitions: 2 });
    const tooLarge = Object.assign(new Error('message too large'), { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false });
    const emitter = scriptedEmitter(memory, (records) => {
      const acknowledgedOffsets = records.map(() => -1);
      return new ProduceFailedError(TOPIC, 1, { cause: tooLarge, key: 'b', recordBytes: 3, acknowledgedOffsets });
    });
    const results = await Promise.allSettled(['a', 'b', 'a'].map((key, i) => emitter.emit(key, `v${i}`)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ key: 'b', partition: 1 });
    expect(topicValues(memory, 2)).toEqual([['v0', 'v2'], []]);
    await emitter.finish();
  });

  it('rejects an emit with DeliveryTimeoutError naming topic, key, partition, time tried and the last cause once deliveryTimeoutMs passed', async () => {
    const { memory, emitter } = setup({ deliveryTimeoutMs: 40 });
    const outage = new Outage(memory);
    const started = performance.now();
    const error = await emitter.emit('user-1', 'v').catch((e: unknown) => e);
    expect(outage.refused).toBeGreaterThan(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
    expect(error).toBeInstanceOf(DeliveryTimeoutError);
    const timeout = error as DeliveryTimeoutError;
    expect(timeout).toMatchObject({ topic: TOPIC, key: 'user-1', deliveryTimeoutMs: 40, retriable: true });
    expect(timeout.partition).toBeTypeOf('number');
    expect(timeout.elapsedMs).toBeGreaterThanOrEqual(40);
    expect(timeout.cause).toBeInstanceOf(ProduceFailedError);
    expect(timeout.message).toMatch(
      /^emitter for topic "events": the record with key "user-1" was not delivered within deliveryTimeoutMs \(40 ms; tried for \d+\.\d s\), last error: producing to topic "events" partition \d failed: Connection error: connect ECONNREFUSED/,
    );
    expect(emitter.stats()).toMatchObject({ bufferedRecords: 0, waitingEmits: 0 });
  });

  it('rejects a non-retriable failure at once, without retrying', async () => {
    const { memory, emitter } = setup({ deliveryTimeoutMs: 60_000 });
    let sends = 0;
    memory.setProduceFault(() => {
      sends++;
      return Object.assign(new Error('not authorized'), { name: 'ProtocolError', retriable: false });
    });
    await expect(emitter.emit('k', 'v')).rejects.toThrow(/producing to topic "events" partition \d failed: not authorized/);
    expect(sends).toBe(1);
  });

  it('applies backpressure: when maxBufferedRecords are buffered, later emits wait outside the buffer and go out once there is room', async () => {
    const { memory, emitter } = setup({ partitions: 1, maxBufferedRecords: 2 });
    const outage = new Outage(memory);
    const buffered = [emitter.emit('k', 'a'), emitter.emit('k', 'b')];
    const waiting = emitter.emit('k', 'c');
    const waitingState = track(waiting);
    await outage.refusals(3);
    expect(emitter.stats()).toMatchObject({ bufferedRecords: 2, waitingEmits: 1, retrying: true });
    expect(waitingState.settled).toBe(false);
    // The waiting record was never part of a send while the buffer was full.
    expect(outage.refusedValues.flat()).not.toContain('c');
    outage.heal();
    const offsets = await Promise.all([...buffered, waiting]);
    expect(offsets.map((o) => o.offset)).toEqual([0, 1, 2]);
    expect(topicValues(memory, 1)).toEqual([['a', 'b', 'c']]);
    expect(emitter.stats().waitingEmits).toBe(0);
  });

  it('applies backpressure by maxBufferedBytes too (a record larger than the limit still enters an empty buffer)', async () => {
    const { memory, emitter } = setup({ partitions: 1, maxBufferedBytes: 10 });
    const outage = new Outage(memory);
    const big = emitter.emit('k', 'x'.repeat(20));
    const small = emitter.emit('k', 'y');
    await outage.refusals(2);
    expect(emitter.stats()).toMatchObject({ bufferedRecords: 1, bufferedBytes: 21, waitingEmits: 1 });
    outage.heal();
    expect((await Promise.all([big, small])).map((o) => o.offset)).toEqual([0, 1]);
  });

  it('waiting emits time out too, counted from the emit call', async () => {
    const { memory, emitter } = setup({ partitions: 1, maxBufferedRecords: 1, deliveryTimeoutMs: 30 });
    const outage = new Outage(memory);
    const results = await Promise.allSettled([emitter.emit('k', 'a'), emitter.emit('k', 'b')]);
    expect(outage.refused).toBeGreaterThan(0);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DeliveryTimeoutError);
    expect(emitter.stats()).toMatchObject({ bufferedRecords: 0, waitingEmits: 0 });
  });

  it('finish keeps retrying buffered records and resolves once they are written', async () => {
    const { memory, emitter } = setup({ partitions: 1 });
    const outage = new Outage(memory);
    const emitted = emitter.emit('k', 'a');
    await outage.refusals(1);
    const finished = emitter.finish();
    await outage.refusals(3);
    outage.heal();
    await finished;
    await expect(emitted).resolves.toMatchObject({ offset: 0 });
    expect(topicValues(memory, 1)).toEqual([['a']]);
  });

  it('finish during an outage that outlasts deliveryTimeoutMs rejects the buffered and waiting emits with DeliveryTimeoutError and returns', async () => {
    const { memory, emitter } = setup({ partitions: 1, deliveryTimeoutMs: 30, maxBufferedRecords: 1 });
    const outage = new Outage(memory);
    // Settled from the start: the emits reject while finish() runs, before the test reads them.
    const settled = Promise.allSettled([emitter.emit('k', 'a'), emitter.emit('k', 'b')]);
    await emitter.finish();
    expect(outage.refused).toBeGreaterThan(0);
    const results = await settled;
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : r.status))).toEqual([
      'DeliveryTimeoutError',
      'DeliveryTimeoutError',
    ]);
    expect(topicValues(memory, 1)).toEqual([[]]);
  });
});

describe('Emitter: produce attribution', () => {
  it('names the record over the topic max.message.bytes (key and size), not the send first record', async () => {
    const memory = new MemoryKafka();
    memory.createTopic(TOPIC, { partitions: 1, config: { 'max.message.bytes': '100' } });
    const emitter = new Emitter(TOPIC, codecs.string, { kafka: memory, logger: silentLogger });
    const results = await Promise.allSettled([emitter.emit('a', 'small'), emitter.emit('big', 'x'.repeat(200))]);
    const error = (results[1] as PromiseRejectedResult).reason as ProduceFailedError;
    expect(error).toBeInstanceOf(ProduceFailedError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, key: 'big', recordBytes: 203, retriable: false });
    expect(error.message).toBe(
      'producing the record with key "big" (203 bytes) to topic "events" partition 0 failed: ' +
        'The request included a message larger than the max message size the server will accept (max.message.bytes 100)',
    );
    // Not retried: the size does not change.
    expect((results[0] as PromiseRejectedResult).reason).toBe(error);
    await expect(emitter.emit('a', 'small')).resolves.toMatchObject({ offset: 0 });
  });
});
