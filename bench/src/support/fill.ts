import { randomBytes } from 'node:crypto';
import { codecs, Emitter, silentLogger } from '@goka/core';
import type { KafkaAdmin } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { now } from './measure.js';

/** Records emitted before waiting for the oldest chunk's acknowledgements (fewer for large values, see {@link CHUNK_BYTES}). */
const CHUNK = 20_000;
/** Value bytes emitted before waiting, at most: with 100 KB values, 20,000 records would be 2 GB in memory. */
const CHUNK_BYTES = 32 * 1024 * 1024;
/** Chunks in flight at most (the emitter itself sends one batch at a time and queues the rest). */
const WINDOW = 4;
/** Emitter batch bytes: far below the broker's 1 MiB `message.max.bytes` per partition for ≤ 8 partitions. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/**
 * Emitter batch bytes for values above 10 KiB: a 4 MiB send could put several MiB into one partition's
 * record batch, over the broker's 1 MiB `message.max.bytes`.
 */
const LARGE_VALUE_BATCH_BYTES = 900 * 1024;

export interface TableSpec {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  readonly records: number;
  readonly valueBytes: number;
  /** Most records per Emitter send (`maxBatchRecords`). */
  readonly batchRecords: number;
  /** Distinct keys: record `i` gets key `key-<i mod keys>`. @default records (every key unique) */
  readonly keys?: number;
  /** The topic's `cleanup.policy`. @default 'compact' (a table) */
  readonly cleanupPolicy?: 'compact' | 'delete';
}

export interface FillResult {
  /** False when the topic already held the records (`--topic`) and nothing was produced. */
  readonly filled: boolean;
  readonly records: number;
  /** Key plus value bytes produced. */
  readonly bytes: number;
  readonly ms: number;
  /** The Emitter's `maxBatchRecords`. */
  readonly batchRecords: number;
}

/** The key of record `i`: `key-<i>`, so `records` records have `records` distinct keys. */
export function benchKey(i: number): string {
  return `key-${i}`;
}

/**
 * Values of `size` bytes: `v<i>:` followed by base64 text from a random pool, so values differ per
 * key and compress like typical text payloads (not like a constant, which RocksDB would squeeze to
 * nothing).
 */
export function valueFactory(size: number): (i: number) => Buffer {
  // Base64 of random bytes, at least twice the value's size so that values start at different places.
  const pool = Buffer.from(randomBytes(Math.max(48 * 1024, Math.ceil((size * 3) / 2))).toString('base64'), 'latin1');
  return (i) => {
    const value = Buffer.allocUnsafe(size);
    const written = value.write(`v${i}:`, 0, 'latin1');
    const start = (i * 131) % (pool.length - size);
    pool.copy(value, written, start, start + size - written);
    return value;
  };
}

/** Sum of the high-water marks of the topic's partitions (its record count when nothing was compacted). */
export async function countRecords(admin: KafkaAdmin, topic: string, partitions: number): Promise<number> {
  const offsets = await admin.offsets(topic, Array.from({ length: partitions }, (_, p) => p));
  return offsets.reduce((sum, { hwm, oldest }) => sum + hwm - oldest, 0);
}

/**
 * Waits until the broker answers offset requests for every partition of a new topic (their leaders
 * serve them): right after a creation, and more so after deletions, a produce may still be refused
 * with "This server does not host this topic-partition".
 */
async function servedByLeaders(admin: KafkaAdmin, topic: string, partitions: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await countRecords(admin, topic, partitions);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Creates the topic (compacted unless `cleanupPolicy` says otherwise) and fills it with `records`
 * records (`key-<i mod keys>` → value) through
 * our Emitter (Goka's partitioner, large batches, several chunks in flight), or — when the topic
 * exists already — checks that it holds exactly `records` records and produces nothing.
 */
export async function fillTable(spec: TableSpec, log: (line: string) => void): Promise<FillResult> {
  const adapter = new KafkajsAdapter({ brokers: spec.brokers, clientId: 'bench-fill', logger: silentLogger });
  const admin = adapter.createAdmin();
  await admin.connect();
  try {
    const existing = await admin.describeTopic(spec.topic);
    if (existing !== undefined) {
      const count = await countRecords(admin, spec.topic, existing.partitions.length);
      if (existing.partitions.length !== spec.partitions || count !== spec.records) {
        throw new Error(
          `topic ${spec.topic} exists with ${existing.partitions.length} partitions and ${count} records; ` +
            `expected ${spec.partitions} partitions and ${spec.records} records`,
        );
      }
      log(`topic ${spec.topic} exists with ${count} records: not filling it`);
      return { filled: false, records: count, bytes: 0, ms: 0, batchRecords: spec.batchRecords };
    }
    await admin.createTopic({
      topic: spec.topic,
      partitions: spec.partitions,
      replicationFactor: 1,
      config: { 'cleanup.policy': spec.cleanupPolicy ?? 'compact' },
    });
    await servedByLeaders(admin, spec.topic, spec.partitions);
    const keys = spec.keys ?? spec.records;
    log(
      `created ${spec.cleanupPolicy === 'delete' ? '' : 'compacted '}topic ${spec.topic} (${spec.partitions} partitions); ` +
        `producing ${spec.records} records over ${keys} keys …`,
    );

    const emitter = new Emitter(spec.topic, codecs.bytes, {
      kafka: adapter,
      clientId: 'bench-fill',
      logger: silentLogger,
      maxBatchBytes: spec.valueBytes > 10 * 1024 ? LARGE_VALUE_BATCH_BYTES : MAX_BATCH_BYTES,
      maxBatchRecords: spec.batchRecords,
    });
    await emitter.start();
    const value = valueFactory(spec.valueBytes);
    const started = now();
    let bytes = 0;
    const inFlight: Array<Promise<unknown>> = [];
    const chunk = Math.max(1, Math.min(CHUNK, Math.floor(CHUNK_BYTES / Math.max(1, spec.valueBytes))));
    for (let from = 0; from < spec.records; from += chunk) {
      const to = Math.min(spec.records, from + chunk);
      const acks: Array<Promise<unknown>> = [];
      for (let i = from; i < to; i++) {
        const key = benchKey(i % keys);
        bytes += key.length + spec.valueBytes;
        acks.push(emitter.emit(key, value(i)));
      }
      inFlight.push(Promise.all(acks));
      if (inFlight.length >= WINDOW) await inFlight.shift();
    }
    await Promise.all(inFlight);
    const ms = now() - started;
    await emitter.finish();

    const count = await countRecords(admin, spec.topic, spec.partitions);
    if (count !== spec.records) throw new Error(`the topic holds ${count} records after producing ${spec.records}`);
    return { filled: true, records: spec.records, bytes, ms, batchRecords: spec.batchRecords };
  } finally {
    await admin.disconnect();
  }
}
