import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
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
import { View } from '../view/view.js';
import type { ViewOptions } from '../view/view-options.js';
import type { ViewState } from '../view/view-state.js';

/** Shared by the View specs (view/view*.spec.ts). */
export const TABLE = 'users-table';
export const b = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Wraps MemoryKafka: counts reads, fails reads or offsets on demand, can report other partitions. */
export class FlakyKafka implements KafkaAdapter {
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
export class PersistentStore extends MemoryStorage {
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
export function persistentStorage(): {
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

export interface Fixture {
  memory: MemoryKafka;
  kafka: FlakyKafka;
  /** Produces to the partition Goka's partitioner picks for the key. */
  emit: (records: ReadonlyArray<readonly [string, string | null]>) => void;
  view: <V = string>(options?: Partial<ViewOptions>, codec?: Codec<V>) => View<V>;
}

export function fixture(partitions = 4): Fixture {
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
export function nextState(view: View<unknown>, state: ViewState): Promise<void> {
  return new Promise((resolve) => {
    const stop = view.onStateChange((current) => {
      if (current === state) {
        stop();
        resolve();
      }
    });
  });
}

export function captureLogger(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

export async function collect<V>(iterator: AsyncIterable<[string, V]>): Promise<Array<[string, V]>> {
  const entries: Array<[string, V]> = [];
  for await (const entry of iterator) entries.push(entry);
  return entries;
}
