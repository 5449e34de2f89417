import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import { TableDecodeError, TableError, ViewError, ViewNotRunningError } from '../errors/table-error.js';
import { TopicPartitionGapError } from '../errors/topic-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { ConsumerGroup, ConsumerGroupOptions } from '../kafka/consumer-group.js';
import type { ClientOptions, KafkaAdapter } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { PartitionReader, ReadBatch } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageFactory, StorageOp } from '../storage/storage.js';
import { silentLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import { View } from './view.js';
import { resolveViewOptions } from './view-options.js';
import type { ViewOptions } from './view-options.js';
import type { ViewState } from './view-state.js';

const TABLE = 'users-table';
const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Wraps MemoryKafka: counts reads, fails reads or offsets on demand, can report other partitions. */
class FlakyKafka implements KafkaAdapter {
  readonly name = 'flaky';
  /** Thrown, one per fetched batch (of any partition), instead of the batch. */
  readonly readFailures: Error[] = [];
  /** While set, reads fail at once and offsets requests reject (a broker outage). */
  down = false;
  records = 0;
  readonly starts: Array<[partition: number, from: number]> = [];
  readonly clientIds: Array<string | undefined> = [];
  partitionsOverride: number[] | undefined;

  constructor(readonly memory: MemoryKafka) {}

  createConsumerGroup(options: ConsumerGroupOptions): ConsumerGroup {
    return this.memory.createConsumerGroup(options);
  }

  createProducer(options?: ClientOptions): KafkaProducer {
    return this.memory.createProducer(options);
  }

  createAdmin(options?: ClientOptions): KafkaAdmin {
    this.clientIds.push(options?.clientId);
    const admin = this.memory.createAdmin(options);
    return {
      connect: () => admin.connect(),
      disconnect: () => admin.disconnect(),
      describeTopic: async (topic) => {
        const description = await admin.describeTopic(topic);
        const partitions = this.partitionsOverride;
        return description === undefined || partitions === undefined ? description : { ...description, partitions };
      },
      createTopic: (spec) => admin.createTopic(spec),
      topicConfig: (topic) => admin.topicConfig(topic),
      offsets: async (topic, partitions) => {
        if (this.down) throw new Error('broker down');
        return admin.offsets(topic, partitions);
      },
      brokerCount: () => admin.brokerCount(),
    };
  }

  createReader(options?: ClientOptions): PartitionReader {
    const reader = this.memory.createReader(options);
    return {
      connect: () => reader.connect(),
      disconnect: () => reader.disconnect(),
      read: (topic, partition, from, signal) => this.#read(reader, topic, partition, from, signal),
    };
  }

  async *#read(
    reader: PartitionReader,
    topic: string,
    partition: number,
    from: number,
    signal: AbortSignal,
  ): AsyncIterable<ReadBatch> {
    this.starts.push([partition, from]);
    if (this.down) throw new Error('connection refused');
    for await (const batch of reader.read(topic, partition, from, signal)) {
      const failure = this.readFailures.shift();
      if (failure !== undefined) throw failure;
      if (this.down) throw new Error('connection reset');
      this.records += batch.messages.length;
      yield batch;
    }
  }
}

/** A memory store that survives close (like an on-disk store), counts closes, and lets a test await an offset. */
class PersistentStore extends MemoryStorage {
  closes = 0;
  #waiters: Array<{ offset: number; resolve: () => void }> = [];

  override async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    await super.write(ops, offset);
    const stored = (await this.getOffset()) ?? -1;
    this.#waiters = this.#waiters.filter((waiter) => (waiter.offset <= stored ? (waiter.resolve(), false) : true));
  }

  override async close(): Promise<void> {
    this.closes += 1;
  }

  /** Resolves once the applied offset is at least `offset`. */
  async waitForOffset(offset: number): Promise<void> {
    const stored = await this.getOffset();
    if (stored !== undefined && stored >= offset) return;
    await new Promise<void>((resolve) => this.#waiters.push({ offset, resolve }));
  }
}

/** A storage factory of {@link PersistentStore}s, one per topic-partition, reused across runs. */
function persistentStorage(): {
  factory: StorageFactory;
  store: (partition: number) => PersistentStore;
  closes: () => number;
} {
  const stores = new Map<string, PersistentStore>();
  const store = (partition: number, topic = TABLE): PersistentStore => {
    const name = `${topic}.${partition}`;
    let found = stores.get(name);
    if (found === undefined) {
      found = new PersistentStore({ topic, partition });
      stores.set(name, found);
    }
    return found;
  };
  return {
    factory: async (topic, partition) => store(partition, topic),
    store: (partition) => store(partition),
    closes: () => [...stores.values()].reduce((sum, found) => sum + found.closes, 0),
  };
}

interface Fixture {
  memory: MemoryKafka;
  kafka: FlakyKafka;
  /** Produces to the partition Goka's partitioner picks for the key. */
  emit: (records: ReadonlyArray<readonly [string, string | null]>) => void;
  view: <V = string>(options?: Partial<ViewOptions>, codec?: Codec<V>) => View<V>;
}

function fixture(partitions = 4): Fixture {
  const memory = new MemoryKafka();
  memory.createTopic(TABLE, { partitions, config: { 'cleanup.policy': 'compact' } });
  const kafka = new FlakyKafka(memory);
  const emit = (records: ReadonlyArray<readonly [string, string | null]>): void => {
    memory.produce(
      records.map(([key, value]) => ({
        topic: TABLE,
        partition: partitionFor(key, partitions),
        key: b(key),
        value: value === null ? null : b(value),
      })),
    );
  };
  const view = <V>(options: Partial<ViewOptions> = {}, codec?: Codec<V>): View<V> =>
    new View<V>(TABLE, (codec ?? codecs.string) as Codec<V>, {
      kafka,
      logger: silentLogger,
      ...options,
    });
  return { memory, kafka, emit, view };
}

/** Resolves when the view enters `state`. */
function nextState(view: View<unknown>, state: ViewState): Promise<void> {
  return new Promise((resolve) => {
    const stop = view.onStateChange((current) => {
      if (current === state) {
        stop();
        resolve();
      }
    });
  });
}

function captureLogger(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

async function collect<V>(iterator: AsyncIterable<[string, V]>): Promise<Array<[string, V]>> {
  const entries: Array<[string, V]> = [];
  for await (const entry of iterator) entries.push(entry);
  return entries;
}

describe('View reads', () => {
  it('get, has, iterator (byte order across partitions) and evict', async () => {
    const f = fixture(4);
    const keys = ['b', 'a', 'ab', 'é', 'Z', '', 'user-1', 'user-2', 'user-10', '\u{1F600}', '\uE000'];
    f.emit(keys.map((key) => [key, `v:${key}`] as const));
    f.emit([['gone', 'x'], ['gone', null], ['a', 'A2']]);
    const view = f.view();
    const controller = new AbortController();
    const running = view.run(controller.signal);
    await view.waitRunning();

    expect(view.topic).toBe(TABLE);
    expect(view.partitions).toEqual([0, 1, 2, 3]);
    // The keys really are spread over several partitions.
    expect(new Set(keys.map((key) => partitionFor(key, 4))).size).toBeGreaterThan(1);
    expect(await view.get('a')).toBe('A2');
    expect(await view.get('é')).toBe('v:é');
    expect(await view.get('')).toBe('v:');
    expect(await view.get('gone')).toBeUndefined();
    expect(await view.get('missing')).toBeUndefined();
    expect(await view.has('user-10')).toBe(true);
    expect(await view.has('gone')).toBe(false);

    const sorted = keys.toSorted((x, y) => Buffer.compare(b(x), b(y)));
    const entries = await collect(view.iterator());
    expect(entries.map(([key]) => key)).toEqual(sorted);
    expect(entries.find(([key]) => key === 'a')).toEqual(['a', 'A2']);
    expect((await collect(view.iterator({ gte: 'a', lt: 'user-10' }))).map(([key]) => key)).toEqual(['a', 'ab', 'b', 'user-1']);
    expect((await collect(view.iterator({ gte: 'user' }))).map(([key]) => key)).toEqual([
      'user-1', 'user-10', 'user-2', 'é', '\uE000', '\u{1F600}',
    ]);

    await view.evict('user-1');
    expect(await view.has('user-1')).toBe(false);
    expect(await view.get('user-1')).toBeUndefined();
    expect(f.memory.read(TABLE, partitionFor('user-1', 4)).some((m) => m.key?.toString() === 'user-1')).toBe(true);

    controller.abort();
    await running;
  });

  it('decodes with the codec and names topic and key when a stored value does not decode', async () => {
    const f = fixture(2);
    f.emit([['n', '42'], ['x', '7']]);
    // An update callback can store anything: here a value of `x` the int64 codec refuses.
    const view = f.view<number>(
      {
        updateCallback: async (_context, storage, key, value) => {
          if (value !== null) await storage.set(key, key === 'x' ? b('oops') : value);
        },
      },
      codecs.int64,
    );
    const running = view.run();
    await view.waitRunning();
    expect(await view.get('n')).toBe(42);
    const error = await view.get('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ topic: TABLE, key: 'x', codec: 'int64', operation: 'decode' });
    const iterated = collect(view.iterator());
    await expect(iterated).rejects.toBeInstanceOf(CodecError);
    await view.stop();
    await running;
  });

  it('reads fail while idle, with Goka\'s message idea', async () => {
    const f = fixture(2);
    const view = f.view();
    const error = await view.get('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewNotRunningError);
    expect(error).toMatchObject({ table: TABLE, state: 'idle' });
    expect((error as Error).message).toContain("View is either not running, not correctly initialized or stopped again. It's not safe to retrieve values");
    await expect(view.has('k')).rejects.toBeInstanceOf(ViewNotRunningError);
    await expect(view.evict('k')).rejects.toBeInstanceOf(ViewNotRunningError);
    expect(() => view.iterator()).toThrow(ViewNotRunningError);
    expect(view.recovered()).toBe(false);
    expect(view.partitions).toEqual([]);
    expect(view.stats()).toEqual({ table: TABLE, state: 'idle', partitions: [] });
  });

  it('uses the hasher option to find a key\'s partition', async () => {
    const f = fixture(3);
    // A producer that used a hasher putting everything in partition 2.
    f.memory.produce([{ topic: TABLE, partition: 2, key: b('k'), value: b('v') }]);
    const view = f.view({ hasher: () => 2 });
    const running = view.run();
    await view.waitRunning();
    expect(await view.get('k')).toBe('v');
    await view.stop();
    await running;
  });
});

describe('View lifecycle', () => {
  it('goes idle → initializing → connecting → catching-up → running, and idle after stop; storages closed', async () => {
    const f = fixture(4);
    f.emit(Array.from({ length: 200 }, (_, i) => [`k${i}`, `v${i}`] as const));
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const states: string[] = [view.state];
    view.onStateChange((state, previous) => states.push(`${previous}->${state}`));
    const running = view.run();
    expect(view.state).toBe('initializing');
    await view.waitRunning();
    expect(view.recovered()).toBe(true);
    expect(view.state).toBe('running');
    await view.waitRunning(); // resolves at once when running
    await view.stop();
    await running;
    expect(states).toEqual([
      'idle',
      'idle->initializing',
      'initializing->connecting',
      'connecting->catching-up',
      'catching-up->running',
      'running->idle',
    ]);
    expect(view.recovered()).toBe(false);
    expect(storage.closes()).toBe(4);
    expect(f.kafka.clientIds).toEqual([`goka-view-${TABLE}`]);
  });

  it('catches up new records after running', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const running = view.run();
    await view.waitRunning();
    f.emit([['a', '2'], ['b', '1']]);
    for (const key of ['a', 'b']) {
      const partition = partitionFor(key, 2);
      await storage.store(partition).waitForOffset(f.memory.offsets(TABLE, partition).hwm - 1);
    }
    expect(await view.get('a')).toBe('2');
    expect(await view.get('b')).toBe('1');
    expect(view.state).toBe('running');
    await view.stop();
    await running;
  });

  it('is restartable: a second run resumes from the persisted offsets and reads only new records', async () => {
    const f = fixture(2);
    f.emit(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`] as const));
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const first = view.run();
    await view.waitRunning();
    await view.stop();
    await first;
    expect(f.kafka.records).toBe(50);

    f.emit([['k1', 'new'], ['fresh', 'x']]);
    f.kafka.records = 0;
    const second = view.run();
    await view.waitRunning();
    expect(f.kafka.records).toBe(2);
    expect(await view.get('k1')).toBe('new');
    expect(await view.get('fresh')).toBe('x');
    expect(await view.get('k2')).toBe('v2');
    await view.stop();
    await second;
  });

  it('rejects a second concurrent run', async () => {
    const f = fixture(1);
    const view = f.view();
    const running = view.run();
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewError);
    expect((error as Error).message).toContain('is already running');
    await view.stop();
    await running;
  });

  it('settles when the signal aborts, also when aborted before run', async () => {
    const f = fixture(1);
    const view = f.view();
    await view.run(AbortSignal.abort());
    expect(view.state).toBe('idle');
    const controller = new AbortController();
    const running = view.run(controller.signal);
    await view.waitRunning();
    controller.abort();
    await running;
    expect(view.state).toBe('idle');
  });

  it('waitRunning waits for a later run, rejects when the run fails or stops first, and on abort', async () => {
    const f = fixture(1);
    const view = f.view();
    const waiting = view.waitRunning();
    const running = view.run();
    await waiting;
    await view.stop();
    await running;

    const missing = new View('nope', codecs.string, { kafka: f.kafka, logger: silentLogger });
    const waitMissing = missing.waitRunning();
    await expect(missing.run()).rejects.toBeInstanceOf(TopicNotFoundError);
    await expect(waitMissing).rejects.toBeInstanceOf(TopicNotFoundError);

    const stopped = f.view();
    const waitStopped = stopped.waitRunning();
    const run = stopped.run(AbortSignal.abort());
    await expect(waitStopped).rejects.toThrow(/stopped before it was running/);
    await run;

    const controller = new AbortController();
    const aborted = view.waitRunning(controller.signal);
    controller.abort(new Error('no longer needed'));
    await expect(aborted).rejects.toThrow('no longer needed');
  });

  it('a missing topic is a typed error naming it', async () => {
    const f = fixture(1);
    const view = new View('does-not-exist', codecs.string, { kafka: f.kafka, logger: silentLogger });
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TopicNotFoundError);
    expect(error).toMatchObject({ topic: 'does-not-exist' });
    expect((error as Error).message).toContain('"does-not-exist"');
    expect(view.state).toBe('idle');
  });

  it('partitions that are not 0..n-1 are a typed error', async () => {
    const f = fixture(3);
    f.kafka.partitionsOverride = [0, 2];
    await expect(f.view().run()).rejects.toBeInstanceOf(TopicPartitionGapError);
  });

  it('stats report state and every partition', async () => {
    const f = fixture(2);
    f.emit([['a', '1'], ['b', '22']]);
    const view = f.view();
    const running = view.run();
    await view.waitRunning();
    const stats = view.stats();
    expect(stats.table).toBe(TABLE);
    expect(stats.state).toBe('running');
    expect(stats.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(stats.partitions.reduce((sum, p) => sum + p.records, 0)).toBe(2);
    expect(stats.partitions.every((p) => p.state === 'running' && p.recovery.endTime !== undefined)).toBe(true);
    await view.stop();
    await running;
  });

  it('a throwing state listener is logged and does not disturb the view', async () => {
    const f = fixture(1);
    const { logger, lines } = captureLogger();
    const view = f.view({ logger });
    view.onStateChange(() => {
      throw new Error('listener bug');
    });
    const running = view.run();
    await view.waitRunning();
    await view.stop();
    await running;
    expect(lines.some((line) => line.startsWith(`error [View ${TABLE}] state change listener failed`))).toBe(true);
  });

  it('defers the adapter for brokers to its run (kafka wins when both are given)', () => {
    const resolved = resolveViewOptions(TABLE, codecs.string, { brokers: ['127.0.0.1:9092'], logger: silentLogger });
    // The default adapter (KafkajsAdapter of @goka/kafkajs) is created when the view runs: its own
    // spec there checks what brokers turn into.
    expect(typeof resolved.kafka).toBe('function');
    const memory = new MemoryKafka();
    expect(resolveViewOptions(TABLE, codecs.string, { kafka: memory, brokers: ['127.0.0.1:9092'] }).kafka).toBe(memory);
    expect(resolved).toMatchObject({ clientId: `goka-view-${TABLE}`, autoReconnect: false, updateCallback: undefined });
    expect(resolved.backoff).toEqual({ step: 10_000, max: 120_000, resetAfter: 60_000 });
  });

  it('rejects unusable options with a ViewError naming the table', () => {
    const kafka = new MemoryKafka();
    expect(() => new View('', codecs.string, { kafka })).toThrow(ViewError);
    expect(() => new View(TABLE, {} as never, { kafka })).toThrow(/codec must be a codec with decode\(\)/);
    expect(() => new View(TABLE, codecs.string, { kafka: {} as never })).toThrow(/kafka must be a Kafka adapter/);
    expect(() => new View(TABLE, codecs.string, {})).toThrow(/View "users-table" needs `brokers`/);
    expect(() => new View(TABLE, codecs.string, { kafka, autoReconnect: 'yes' as never })).toThrow(/autoReconnect must be a boolean/);
    expect(() => new View(TABLE, codecs.string, { kafka, backoff: { step: -1 } })).toThrow(
      /view of table "users-table": backoff.step must be a non-negative finite number of milliseconds, got -1/,
    );
  });
});

describe('View errors', () => {
  it('an undecodable record stops the view naming topic, partition, offset and key; nothing of its batch is written', async () => {
    const f = fixture(2);
    const storage = persistentStorage();
    const bad = 'bad-key';
    const partition = partitionFor(bad, 2);
    f.emit([['ok-1', '1'], ['ok-2', '2'], ['ok-3', '3']]);
    f.emit([[bad, 'twelve']]);
    const before = f.memory.offsets(TABLE, partition).hwm - 1;
    const view = f.view<number>({ storage: storage.factory }, codecs.int64);
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableDecodeError);
    expect(error).toMatchObject({ topic: TABLE, partition, offset: before, key: bad });
    expect((error as Error).message).toContain(`table "${TABLE}" partition ${partition}: cannot decode the value at offset ${before} key "bad-key"`);
    expect((error as Error).cause).toBeInstanceOf(CodecError);
    // All records of that partition came in one fetched batch: none of them was written.
    const store = storage.store(partition);
    expect(store.size).toBe(0);
    expect(await store.getOffset()).toBeUndefined();
    expect(view.state).toBe('idle');
    expect(storage.closes()).toBe(2);
  });

  it('a storage that fails to close makes run reject with a TableError', async () => {
    const f = fixture(1);
    const view = f.view({
      storage: async (topic, partition) => {
        const store = new MemoryStorage({ topic, partition });
        store.close = async () => {
          throw new Error('flush failed');
        };
        return store;
      },
    });
    const running = view.run();
    await view.waitRunning();
    await view.stop();
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ operation: 'close', topic: TABLE, partition: 0 });
    expect(view.state).toBe('idle');
  });

  it('without autoReconnect a Kafka error ends run with a TableError', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const running = view.run();
    await view.waitRunning();
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ topic: TABLE, partition: partitionFor('a', 2), operation: 'read' });
    expect((error as Error).message).toContain('read failed at offset 1: connection reset');
    expect(view.state).toBe('idle');
    expect(storage.closes()).toBe(2);
  });

  it('reads after a failed run name its error (state and cause) until the view runs again', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const view = f.view();
    const running = view.run();
    await view.waitRunning();
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    const failure = await running.catch((caught: unknown) => caught);
    expect(view.lastError).toBe(failure);

    const error = await view.get('a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewNotRunningError);
    expect(error).toMatchObject({ table: TABLE, state: 'idle', cause: failure });
    expect((error as Error).message).toContain(`view "${TABLE}" (state idle)`);
    expect((error as Error).message).toContain('its last run failed with TableError:');
    expect((error as Error).message).toContain('read failed at offset 1: connection reset');
    await expect(view.has('a')).rejects.toMatchObject({ cause: failure });
    expect(() => view.iterator()).toThrow(/its last run failed with TableError/);

    // Running again clears it; a clean stop leaves nothing to report.
    const again = view.run();
    await view.waitRunning();
    expect(view.lastError).toBeUndefined();
    expect(await view.get('a')).toBe('2');
    await view.stop();
    await again;
    const stopped = await view.get('a').catch((caught: unknown) => caught);
    expect(stopped).toBeInstanceOf(ViewNotRunningError);
    expect((stopped as Error).message).not.toContain('last run failed');
    expect((stopped as Error).cause).toBeUndefined();
  });
});

describe('View auto-reconnect', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a failing read goes back to connecting while get keeps serving, then running again', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const view = f.view({ autoReconnect: true });
    const running = view.run();
    await view.waitRunning();
    const states: ViewState[] = [];
    let servedWhileConnecting: Promise<string | undefined> | undefined;
    view.onStateChange((state) => {
      states.push(state);
      if (state === 'connecting') servedWhileConnecting ??= view.get('a');
    });
    const back = nextState(view, 'running');
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    await back;
    expect(states).toEqual(['connecting', 'catching-up', 'running']);
    expect(await servedWhileConnecting).toBe('1');
    expect(await view.get('a')).toBe('2');
    await view.stop();
    await running;
  });

  it('retries with backoff during an outage, serving local data, and recovers new records afterwards', async () => {
    vi.useFakeTimers();
    const f = fixture(1);
    f.emit([['a', '1']]);
    const { logger, lines } = captureLogger();
    const view = f.view({ autoReconnect: true, backoff: { step: 5_000, max: 20_000 }, logger });
    const running = view.run();
    await view.waitRunning();

    const connecting = nextState(view, 'connecting');
    f.kafka.down = true;
    f.emit([['a', '2'], ['b', '1']]);
    await connecting;
    await vi.advanceTimersByTimeAsync(0); // the first retry waits 0 ms and fails again
    expect(view.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(view.state).toBe('connecting');
    expect(await view.get('a')).toBe('1');
    expect(await view.get('b')).toBeUndefined();

    f.kafka.down = false;
    const back = nextState(view, 'running');
    await vi.advanceTimersByTimeAsync(1);
    await back;
    expect(await view.get('a')).toBe('2');
    expect(await view.get('b')).toBe('1');
    const retries = lines.filter((line) => line.includes('will retry in'));
    expect(retries.map((line) => /will retry in (\d+) seconds/.exec(line)?.[1])).toEqual(['0', '5']);
    await view.stop();
    await running;
  });

  it('still ends run on a decode error', async () => {
    const f = fixture(1);
    f.emit([['a', 'x']]);
    const view = f.view<number>({ autoReconnect: true }, codecs.int64);
    await expect(view.run()).rejects.toBeInstanceOf(TableDecodeError);
  });
});
