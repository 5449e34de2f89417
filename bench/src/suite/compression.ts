import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { codecs, COMPRESSION_TYPES, defineGroup, Emitter, input, output, Processor, silentLogger } from '@goka/core';
import type { CompressionType, ProcessContext } from '@goka/core';
import { findRepoRoot, kafkaPaths } from '@goka/scripts';
import kafkajs from 'kafkajs';
import { createTopic, kafkajsAdmin, POLL_MS, topicRecords } from '../pipeline/phases.js';
import { now, withTimeout } from '../support/measure.js';

/** What the compression section measures. */
export interface CompressionSpec {
  readonly brokers: readonly string[];
  /** The harness profile of the broker (`single-<port>`): its log segments are summed for the bytes; `undefined` for KAFKA_BROKERS. */
  readonly profile: string | undefined;
  readonly records: number;
  readonly partitions: number;
  readonly rounds: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Runs one phase, recording (not rethrowing) its failure: the section goes on. */
  readonly attempt: <T>(what: string, run: () => Promise<T>) => Promise<T | undefined>;
}

/**
 * Topics and groups a section created, deleted together at its end: right after a topic deletion this
 * broker may answer UNKNOWN_TOPIC_OR_PARTITION for newly created topics for a while (see storage.ts),
 * which would fail phases for a reason that is not what they measure.
 */
interface Created {
  readonly topics: string[];
  readonly groups: string[];
}

/** One writer (the Emitter or a processor's outputs) with one codec, over its rounds. */
export interface CompressionPhase {
  readonly writer: 'emitter' | 'processor';
  readonly compression: CompressionType;
  /** Records per second of every round, in run order. */
  readonly rounds: readonly number[];
  /** Bytes of the written topic's log segments on the broker after a round (`undefined` without the broker's data folder). */
  readonly logBytes: number | undefined;
}

export interface CompressionResult {
  readonly node: string;
  readonly records: number;
  /** Average value size of the written records, bytes. */
  readonly valueBytes: number;
  readonly phases: readonly CompressionPhase[];
}

const PAGES = ['/', '/cart', '/checkout', '/search', '/products', '/account'];
const ACTIONS = ['view', 'click', 'add-to-cart', 'buy'];

/**
 * The written values: JSON click events of about 120 bytes (user, page, action, timestamp, a session
 * id, a price), which compress as typical event payloads do — neither random bytes nor a constant.
 */
export function eventValue(i: number): Buffer {
  const user = (i * 7919) % 50_000;
  const session = ((i * 2_654_435_761) >>> 0).toString(16).padStart(8, '0');
  const event = {
    user: `user-${user}`,
    page: `${PAGES[i % PAGES.length]}/${(i * 31) % 977}`,
    action: ACTIONS[(i >> 3) % ACTIONS.length],
    ts: 1_700_000_000_000 + i * 3,
    session,
    price: ((i * 37) % 10_000) / 100,
  };
  return Buffer.from(JSON.stringify(event));
}

/** Bytes of the `.log` segments of every partition of `topic` in the harness broker's data folder. */
async function topicLogBytes(profile: string | undefined, topic: string): Promise<number | undefined> {
  if (profile === undefined) return undefined;
  const data = kafkaPaths(findRepoRoot(), profile).dataDir;
  let total = 0;
  const pattern = new RegExp(`^${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  for (const node of await readdir(data).catch(() => [])) {
    for (const dir of await readdir(join(data, node)).catch(() => [])) {
      if (!pattern.test(dir)) continue;
      for (const file of await readdir(join(data, node, dir))) {
        if (file.endsWith('.log')) total += (await stat(join(data, node, dir, file))).size;
      }
    }
  }
  return total;
}

/**
 * Creates `topic` and waits until the broker serves offsets for it: right after other topics were
 * deleted, a new topic's partitions may answer UNKNOWN_TOPIC_OR_PARTITION for a moment, which would fail
 * a phase for a reason that is not what it measures.
 */
async function createServedTopic(spec: CompressionSpec, created: Created, topic: string): Promise<void> {
  await createTopic(spec.brokers, topic, spec.partitions);
  created.topics.push(topic);
  // Its own quiet client: the broker's answers before the topic is served are expected here.
  const admin = new kafkajs.Kafka({ clientId: 'bench-compression-served', brokers: [...spec.brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const served = (async (): Promise<void> => {
      for (;;) {
        const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
        if (offsets.length === spec.partitions) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS / 4));
      }
    })();
    await withTimeout(`topic ${topic} served`, spec.timeoutMs, served);
  } finally {
    await admin.disconnect();
  }
}

async function deleteTopics(brokers: readonly string[], topics: readonly string[], groups: readonly string[] = []): Promise<void> {
  const admin = kafkajsAdmin(brokers, 'bench-compression-cleanup');
  await admin.connect();
  await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  if (groups.length > 0) await admin.deleteGroups([...groups]).catch(() => undefined);
  await admin.disconnect();
}

/** Emits `records` events through one Emitter with `compression` (connected first); returns records/s and the log bytes. */
async function emitterRound(spec: CompressionSpec, created: Created, compression: CompressionType): Promise<{ rate: number; bytes: number | undefined }> {
  const topic = `bench-compression-emit-${compression}-${randomUUID().slice(0, 8)}`;
  await createServedTopic(spec, created, topic);
  const emitter = new Emitter(topic, codecs.bytes, { brokers: spec.brokers, logger: silentLogger, compression });
  await emitter.start();
  const started = now();
  const sent: Array<Promise<unknown>> = [];
  for (let i = 0; i < spec.records; i++) sent.push(emitter.emit(`key-${i % 100_000}`, eventValue(i)));
  await withTimeout('the emits', spec.timeoutMs, Promise.all(sent));
  await emitter.finish();
  const ms = now() - started;
  return { rate: (spec.records * 1000) / ms, bytes: await topicLogBytes(spec.profile, topic) };
}

/**
 * A stateless processor reads `inputTopic` (all `records` events, uncompressed) from the oldest offset
 * and emits every value to an output topic with `compression`. Timed from `waitForReady` (assignment
 * and group join excluded) until the output topic holds every record; the records written before that
 * are left out of the rate.
 */
async function processorRound(
  spec: CompressionSpec,
  created: Created,
  inputTopic: string,
  compression: CompressionType,
): Promise<{ rate: number; bytes: number | undefined }> {
  const suffix = randomUUID().slice(0, 8);
  const out = `bench-compression-out-${compression}-${suffix}`;
  const group = `bench-compression-${compression}-${suffix}`;
  await createServedTopic(spec, created, out);
  created.groups.push(group);
  const admin = kafkajsAdmin(spec.brokers, 'bench-compression-offsets');
  await admin.connect();
  const graph = defineGroup<ProcessContext<unknown>>(
    group,
    input(inputTopic, codecs.bytes, (ctx: ProcessContext<unknown>, value: Buffer) => ctx.emit(out, ctx.key, value)),
    output(out, codecs.bytes),
  );
  const processor = new Processor(graph, { brokers: spec.brokers, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 200, compression });
  const running = processor.run();
  try {
    await withTimeout('the processor ready', spec.timeoutMs, processor.waitForReady());
    const startedAt = now();
    const before = await topicRecords(admin, out);
    const done = (async (): Promise<number> => {
      for (;;) {
        // A metadata hiccup of the busy broker answers nothing this time; the next poll asks again.
        if ((await topicRecords(admin, out).catch(() => 0)) >= spec.records) return now();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS / 4));
      }
    })();
    const finished = await withTimeout('the outputs', spec.timeoutMs, done);
    return { rate: ((spec.records - before) * 1000) / (finished - startedAt), bytes: await topicLogBytes(spec.profile, out) };
  } finally {
    await processor.stop();
    await running.catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The compression section: over `rounds` rounds, each codec in turn (interleaved, so slow spells of the
 * shared machine hit all alike) writes `records` JSON events through an Emitter, and a processor's
 * outputs carry the same events from an uncompressed input topic. Rates are per codec; the report
 * divides each by `none`'s.
 */
export async function compressionSuite(spec: CompressionSpec): Promise<CompressionResult> {
  const inputTopic = `bench-compression-input-${randomUUID().slice(0, 8)}`;
  const created: Created = { topics: [], groups: [] };
  let valueBytes = 0;
  for (let i = 0; i < Math.min(spec.records, 10_000); i++) valueBytes += eventValue(i).length;
  valueBytes /= Math.min(spec.records, 10_000);
  const phases = new Map<string, { rounds: number[]; logBytes: number | undefined }>();
  const record = (writer: CompressionPhase['writer'], compression: CompressionType, result: { rate: number; bytes: number | undefined } | undefined): void => {
    if (result === undefined) return;
    const key = `${writer}:${compression}`;
    const phase = phases.get(key) ?? { rounds: [], logBytes: undefined };
    phase.rounds.push(result.rate);
    phase.logBytes = result.bytes;
    phases.set(key, phase);
    spec.log(`    ${writer} ${compression}: ${Math.round(result.rate).toLocaleString('en-US')} msgs/s${result.bytes === undefined ? '' : `, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB on the broker`}`);
  };
  try {
    await createServedTopic(spec, created, inputTopic);
    const filler = new Emitter(inputTopic, codecs.bytes, { brokers: spec.brokers, logger: silentLogger });
    const sent: Array<Promise<unknown>> = [];
    for (let i = 0; i < spec.records; i++) sent.push(filler.emit(`key-${i % 100_000}`, eventValue(i)));
    await Promise.all(sent);
    await filler.finish();
    for (let round = 1; round <= spec.rounds; round++) {
      spec.log(`  round ${round}:`);
      for (const compression of COMPRESSION_TYPES) {
        record('emitter', compression, await spec.attempt(`compression: Emitter, ${compression}, round ${round}`, () => emitterRound(spec, created, compression)));
        record('processor', compression, await spec.attempt(`compression: processor outputs, ${compression}, round ${round}`, () => processorRound(spec, created, inputTopic, compression)));
      }
    }
  } finally {
    await deleteTopics(spec.brokers, created.topics, created.groups);
  }
  const result: CompressionPhase[] = [];
  for (const writer of ['emitter', 'processor'] as const) {
    for (const compression of COMPRESSION_TYPES) {
      const phase = phases.get(`${writer}:${compression}`);
      if (phase !== undefined) result.push({ writer, compression, rounds: phase.rounds, logBytes: phase.logBytes });
    }
  }
  return { node: process.version, records: spec.records, valueBytes, phases: result };
}

/** The median of a phase's round rates. */
export function medianRate(phase: CompressionPhase): number {
  const sorted = [...phase.rounds].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}
