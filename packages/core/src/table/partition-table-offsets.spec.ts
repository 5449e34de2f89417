import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { Emitter } from '../emitter/emitter.js';
import { KafkaConnectionError } from '../errors/kafka-error.js';
import { KafkaAuthenticationError } from '../errors/kafka-security-error.js';
import { TableError } from '../errors/table-error.js';
import { isTransientKafkaError } from '../errors/transient-kafka-error.js';
import type { ProcessContext } from '../context/process-context.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { GokaLogger } from '../util/logger.js';
import { silentLogger } from '../util/logger.js';
import { PartitionTable } from './partition-table.js';
import type { PartitionTableOptions } from './partition-table.js';

const TOPIC = 'counter-table';

/** A client's Kafka protocol error (type and code are Kafka's; core never imports a client). */
function protocolError(type: string, code: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'ProtocolError', type, code, retriable: true });
}

const notLeader = (): Error =>
  protocolError('NOT_LEADER_FOR_PARTITION', 6, 'This server is not the leader for that topic-partition');

/** A client's retrier gave up: the wrapper is not retriable, its cause tells what happened. */
function retriesExceeded(cause: Error): Error {
  return Object.assign(new Error(cause.message), { name: 'NumberOfRetriesExceeded', retriable: false, cause });
}

/** A MemoryKafka admin whose `offsets` throws the queued failures (one per call) before answering. */
function failingAdmin(kafka: MemoryKafka, failures: Error[], topic = TOPIC): { admin: KafkaAdmin; calls: () => number } {
  const admin = kafka.createAdmin();
  let calls = 0;
  const wrapped: KafkaAdmin = {
    connect: () => admin.connect(),
    disconnect: () => admin.disconnect(),
    describeTopic: (name) => admin.describeTopic(name),
    createTopic: (spec) => admin.createTopic(spec),
    topicConfig: (name) => admin.topicConfig(name),
    offsets: async (name, partitions) => {
      if (name === topic) {
        calls += 1;
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
      }
      return admin.offsets(name, partitions);
    },
    brokerCount: () => admin.brokerCount(),
  };
  return { admin: wrapped, calls: () => calls };
}

function captureLogger(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

function fixture(failures: Error[], options: Partial<PartitionTableOptions> = {}) {
  const kafka = new MemoryKafka();
  kafka.createTopic(TOPIC, { partitions: 1, config: { 'cleanup.policy': 'compact' } });
  kafka.produce([{ topic: TOPIC, partition: 0, key: Buffer.from('k'), value: Buffer.from('v') }]);
  const store = new MemoryStorage({ topic: TOPIC, partition: 0 });
  const { admin, calls } = failingAdmin(kafka, failures);
  const { logger, lines } = captureLogger();
  const table = new PartitionTable({
    topic: TOPIC,
    partition: 0,
    admin,
    reader: kafka.createReader(),
    storage: async () => store,
    logger,
    ...options,
  });
  return { table, store, calls, lines };
}

describe('isTransientKafkaError', () => {
  it.each([
    ['NOT_LEADER_FOR_PARTITION (the older name)', notLeader()],
    ['NOT_LEADER_OR_FOLLOWER', protocolError('NOT_LEADER_OR_FOLLOWER', 6, 'not leader')],
    ['LEADER_NOT_AVAILABLE', protocolError('LEADER_NOT_AVAILABLE', 5, 'no leader')],
    ['UNKNOWN_TOPIC_OR_PARTITION', protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, 'unknown')],
    ['a protocol code only', Object.assign(new Error('no leader'), { code: 5 })],
    ['retries exceeded on not leader', retriesExceeded(notLeader())],
    ['KafkaConnectionError', new KafkaConnectionError(['127.0.0.1:9092'], 'test')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('%s is temporary', (_label, error) => {
    expect(isTransientKafkaError(error)).toBe(true);
  });

  it.each([
    ['a plain error', new Error('broker down')],
    ['an authorization error', protocolError('TOPIC_AUTHORIZATION_FAILED', 29, 'not authorized')],
    ['retries exceeded on something else', retriesExceeded(new Error('bad request'))],
    // Adapters throw a KafkaConnectionError for those (the admin of @goka/kafkajs does): a client's error names mean nothing here.
    ['a connection error known only by its name', Object.assign(new Error('Connection error'), { name: 'ConnectionError', retriable: true })],
    ['not an object', 'NOT_LEADER_FOR_PARTITION'],
    ['undefined', undefined],
  ])('%s is not', (_label, error) => {
    expect(isTransientKafkaError(error)).toBe(false);
  });

  it('a KafkaConnectionError that is not retriable (failed authentication) is not transient', () => {
    const auth = new KafkaAuthenticationError(['b:1'], 'c', { mechanism: 'PLAIN', cause: new Error('refused') });
    expect(isTransientKafkaError(auth)).toBe(false);
    expect(isTransientKafkaError(new KafkaConnectionError(['b:1'], 'c', { cause: new Error('down') }))).toBe(true);
  });

  it('stops at a cyclic cause', () => {
    const error: Error & { cause?: unknown } = new Error('loop');
    error.cause = error;
    expect(isTransientKafkaError(error)).toBe(false);
  });
});

describe('PartitionTable offsets without retry (processor group tables)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries "not leader" just after the topic was created, then recovers', async () => {
    const f = fixture([notLeader(), notLeader()], { offsetsRetry: { backoff: { step: 1, max: 2 } } });
    await f.table.recover();
    expect(f.calls()).toBe(3);
    expect(f.table.state).toBe('running');
    expect((await f.store.get('k'))?.toString('utf8')).toBe('v');
    expect(f.lines.filter((line) => line.startsWith('debug') && line.includes('offsets attempt'))).toHaveLength(2);
    expect(f.lines.some((line) => line.startsWith('warn') || line.startsWith('error'))).toBe(false);
    await f.table.close();
  });

  it.each([
    ['leader not available', protocolError('LEADER_NOT_AVAILABLE', 5, 'There is no leader for this topic-partition')],
    ['an unknown partition (the client gave up)', retriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3, 'unknown'))],
    ['a connection error', new KafkaConnectionError(['127.0.0.1:9092'], 'test')],
  ])('retries %s with the default backoff (first retry at once)', async (_label, error) => {
    const f = fixture([error]);
    await f.table.recover();
    expect(f.calls()).toBe(2);
    expect(f.table.state).toBe('running');
    await f.table.close();
  });

  it('gives up after the deadline with a TableError naming topic, partition and the attempts', async () => {
    vi.useFakeTimers();
    const failures = Array.from({ length: 100 }, notLeader);
    const f = fixture(failures, { offsetsRetry: { timeoutMs: 1_000, backoff: { step: 100, max: 300 } } });
    const states: string[] = [];
    f.table.states.observe((state) => states.push(state));
    const recovering = f.table.recover().catch((caught: unknown) => caught);
    // Attempts at 0, 0, 100, 300, 600 and 900 ms; the next wait (300 ms) would pass the deadline.
    await vi.advanceTimersByTimeAsync(899);
    expect(f.calls()).toBe(5);
    expect(f.table.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    const error = await recovering;
    expect(f.calls()).toBe(6);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, operation: 'offsets' });
    expect((error as Error).message).toBe(
      `table "${TOPIC}" partition 0: offsets failed: This server is not the leader for that topic-partition ` +
        '(temporary Kafka error still there after 6 attempts in 900 ms; giving up)',
    );
    expect((error as Error).cause).toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
    expect(states).toEqual(['initializing', 'connecting']);
    await f.table.close();
  });

  it('fails at once on an error that is not temporary', async () => {
    const f = fixture([new Error('not authorized')]);
    const error = await f.table.recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect((error as Error).message).toBe(`table "${TOPIC}" partition 0: offsets failed: not authorized`);
    expect(f.calls()).toBe(1);
    await f.table.close();
  });

  it('fails at the first error with timeoutMs 0', async () => {
    const f = fixture([notLeader()], { offsetsRetry: { timeoutMs: 0 } });
    await expect(f.table.recover()).rejects.toMatchObject({ operation: 'offsets' });
    expect(f.calls()).toBe(1);
    await f.table.close();
  });

  it('stops waiting quietly when the load is aborted', async () => {
    vi.useFakeTimers();
    const f = fixture(Array.from({ length: 10 }, notLeader), { offsetsRetry: { backoff: { step: 10_000, max: 10_000 } } });
    const controller = new AbortController();
    const recovering = f.table.recover(controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(f.calls()).toBe(2); // the second attempt waits 10 s before the third
    controller.abort();
    await expect(recovering).resolves.toBeUndefined();
    expect(f.calls()).toBe(2);
    await f.table.close();
  });

  it('rejects a bad timeout', () => {
    expect(() => fixture([], { offsetsRetry: { timeoutMs: -1 } })).toThrow(
      'partition table offsetsRetry.timeoutMs must be a non-negative finite number of milliseconds, got -1',
    );
  });
});

describe('Processor start-up while the group table has no leader yet', () => {
  it('recovers the group table once Kafka answers and processes', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    // Every partition-table offsets request of the group table fails twice as Kafka does right
    // after creating the topic (leadership not propagated yet).
    const failures = [notLeader(), retriesExceeded(protocolError('LEADER_NOT_AVAILABLE', 5, 'no leader'))];
    let offsetCalls: () => number = () => 0;
    const adapter: KafkaAdapter = {
      name: 'leaderless-table',
      createProducer: (options) => kafka.createProducer(options),
      createAdmin: () => {
        const { admin, calls } = failingAdmin(kafka, failures);
        offsetCalls = calls;
        return admin;
      },
      createReader: (options) => kafka.createReader(options),
      createConsumerGroup: (options) => kafka.createConsumerGroup(options),
    };
    type Ctx = ProcessContext<number>;
    const graph = defineGroup<Ctx>(
      'counter',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue((ctx.value() ?? 0) + 1);
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, { kafka: adapter, logger: silentLogger, initialOffset: 'oldest' });
    const running = processor.run();
    running.catch(() => undefined);
    await processor.waitForReady();
    expect(failures).toHaveLength(0);
    expect(offsetCalls()).toBeGreaterThanOrEqual(3);

    const written = new Promise<void>((resolve) => {
      const stop = kafka.onAppend((message) => {
        if (message.topic !== TOPIC) return;
        stop();
        resolve();
      });
    });
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    await emitter.emit('k', 'a');
    await emitter.finish();
    await written;
    expect(await processor.get('k')).toBe(1);
    await processor.stop();
    await running;
  });
});
