import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emitter, silentLogger } from '@goka/core';
import type { Codec, GokaLogger, KafkaMessage, Processor, ProcessorOptions, ProcessorState } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import type { KafkajsAdapterOptions } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import type { StorageFactory } from '@goka/core';
import { kafkaClient } from '../support/kafka.js';

/**
 * Shared pieces of the processor system tests (Goka's `systemtest/`): a kafkajs adapter with short
 * timeouts, topic creation, emitting, committed offsets, RocksDB storage on temporary directories, and
 * a watched `run()`.
 */

/** Processor options that keep the suite fast: start at the oldest offset, commit often, rebalance quickly. */
export const FAST = {
  initialOffset: 'oldest',
  commitIntervalMs: 100,
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 300,
  logger: silentLogger,
} as const satisfies Partial<ProcessorOptions>;

/** A kafkajs adapter for the tests: silent, short connection timeout. */
export function adapterFor(brokers: readonly string[], extra: Partial<KafkajsAdapterOptions> = {}): KafkajsAdapter {
  return new KafkajsAdapter({ brokers, logger: silentLogger, connectionTimeout: 1000, ...extra });
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** A table topic (`cleanup.policy=compact`). */
  readonly compact?: boolean;
}

/**
 * Creates the topics and waits for their leaders, through the adapter's admin (which retries the
 * metadata a KRaft broker may not serve yet right after a creation).
 */
export async function createTopics(brokers: readonly string[], specs: readonly TopicSpec[]): Promise<void> {
  const admin = adapterFor(brokers).createAdmin();
  await admin.connect();
  try {
    for (const { topic, partitions, compact } of specs) {
      await admin.createTopic({
        topic,
        partitions,
        replicationFactor: -1, // the broker's default, as before
        ...(compact === true ? { config: { 'cleanup.policy': 'compact' } } : {}),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Emits every entry (Goka's partitioner) and resolves once Kafka acknowledged all of them. */
export async function emitAll<T>(
  kafka: KafkajsAdapter,
  topic: string,
  codec: Codec<T>,
  entries: ReadonlyArray<readonly [string, T]>,
): Promise<void> {
  const emitter = new Emitter(topic, codec, { kafka, logger: silentLogger });
  try {
    await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
  } finally {
    await emitter.finish();
  }
}

/** The group's committed next-offsets of `topic` per partition, as Kafka reports them (kafkajs admin). */
export async function committedOffsets(brokers: readonly string[], group: string, topic: string): Promise<Map<number, number>> {
  const admin = kafkaClient(brokers, 'processor-system-offsets').admin();
  await admin.connect();
  try {
    const [answer] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map((answer?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** High-water marks of `topic` per partition. */
export async function highWatermarks(brokers: readonly string[], topic: string): Promise<Map<number, number>> {
  const admin = kafkaClient(brokers, 'processor-system-hwm').admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Temporary directories for RocksDB stores, removed by {@link cleanup}. */
export class TempDirs {
  private readonly dirs: string[] = [];

  async create(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `goka-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** A RocksDB storage factory on a new temporary directory. */
  async rocksDb(prefix: string): Promise<StorageFactory> {
    return rocksDbStorageFactory({ path: await this.create(prefix) });
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** How `run()` settled so far. */
export interface RunOutcome {
  settled: 'pending' | 'resolved' | 'rejected';
  error: unknown;
  readonly done: Promise<void>;
}

/** A running processor: its `run()` promise (never unhandled) and how it settled. */
export interface Running {
  readonly run: Promise<void>;
  readonly outcome: RunOutcome;
  /** Every state the processor went through, in order. */
  readonly states: ProcessorState[];
}

/** Starts `processor.run()` and watches it. */
export function start<V>(processor: Processor<V>): Running {
  const states: ProcessorState[] = [];
  processor.states.observe((state) => states.push(state));
  const run = processor.run();
  const outcome: RunOutcome = {
    settled: 'pending',
    error: undefined,
    done: run.then(
      () => {
        outcome.settled = 'resolved';
      },
      (error: unknown) => {
        outcome.settled = 'rejected';
        outcome.error = error;
      },
    ),
  };
  return { run, outcome, states };
}

/** Starts the processor and waits until it is ready. */
export async function startReady<V>(processor: Processor<V>): Promise<Running> {
  const running = start(processor);
  await processor.waitForReady();
  return running;
}

/** Stops the processor and expects `run()` to resolve (a clean stop). */
export async function stopClean<V>(processor: Processor<V>, running: Running): Promise<void> {
  await processor.stop();
  await running.outcome.done;
  if (running.outcome.settled !== 'resolved') throw running.outcome.error;
}

/** A logger that keeps infos, warnings and errors (for assertions and for failure messages). */
export function recordingLogger(): {
  readonly logger: GokaLogger;
  readonly infos: string[];
  readonly warnings: string[];
  readonly errors: string[];
} {
  const infos: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    logger: {
      ...silentLogger,
      info: (message) => infos.push(message),
      warn: (message) => warnings.push(message),
      error: (message) => errors.push(message),
    },
    infos,
    warnings,
    errors,
  };
}

/** A promise with its resolve function, for signals from callbacks. */
export function deferred<T = void>(): { readonly promise: Promise<T>; readonly resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** `[key, value]` pairs `key-0..key-(count-1)` cycling over `keys` keys. */
export function keyed<T>(count: number, keys: number, value: (index: number) => T): Array<readonly [string, T]> {
  return Array.from({ length: count }, (_, index) => [`key-${index % keys}`, value(index)] as const);
}

/** Something a storage did: opened, marked recovered or closed. */
export interface StorageEvent {
  readonly kind: 'open' | 'recovered' | 'close';
  readonly topic: string;
  readonly partition: number;
  readonly at: number;
}

/** Wraps `factory` so that every store reports when it opens, is marked recovered and closes. */
export function observedStorage(factory: StorageFactory, events: StorageEvent[]): StorageFactory {
  return async (topic, partition) => {
    const storage = await factory(topic, partition);
    const record = (kind: StorageEvent['kind']): void => {
      events.push({ kind, topic, partition, at: performance.now() });
    };
    record('open');
    return {
      get: (key) => storage.get(key),
      getMany: (keys) => storage.getMany(keys),
      has: (key) => storage.has(key),
      set: (key, value) => storage.set(key, value),
      delete: (key) => storage.delete(key),
      write: (ops, offset) => storage.write(ops, offset),
      getOffset: () => storage.getOffset(),
      setOffset: (offset) => storage.setOffset(offset),
      markRecovered: async () => {
        await storage.markRecovered();
        record('recovered');
      },
      iterator: (range) => storage.iterator(range),
      close: async () => {
        record('close');
        await storage.close();
      },
    };
  };
}

/**
 * Every record of `topic` (all partitions) below the high-water marks seen when called, with headers,
 * in partition then offset order; read through the adapter's partition reader (no consumer group).
 */
export async function readTopic(brokers: readonly string[], topic: string): Promise<KafkaMessage[]> {
  const marks = await highWatermarks(brokers, topic);
  const reader = adapterFor(brokers).createReader();
  await reader.connect();
  const controller = new AbortController();
  try {
    const parts = [...marks].sort(([a], [b]) => a - b);
    const read = await Promise.all(
      parts.map(async ([partition, hwm]) => {
        const records: KafkaMessage[] = [];
        if (hwm === 0) return records;
        for await (const batch of reader.read(topic, partition, 0, controller.signal)) {
          records.push(...batch.messages.filter((message) => message.offset < hwm));
          if (batch.nextOffset >= hwm) break;
        }
        return records;
      }),
    );
    return read.flat();
  } finally {
    controller.abort();
    await reader.disconnect();
  }
}
