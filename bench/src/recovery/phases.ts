import { randomUUID } from 'node:crypto';
import { codecs, memoryStorageFactory, silentLogger, View } from '@goka/core';
import type { Codec, StorageFactory, ViewStats } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import kafkajs from 'kafkajs';
import { collectGarbage, now, RssSampler, withTimeout } from '../support/measure.js';
import type { CodecName, Phase } from './options.js';

/** What every phase needs to know about the table topic. */
export interface PhaseContext {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  /** Records in the topic: what a cold read must deliver. */
  readonly records: number;
  readonly codec: CodecName;
  readonly timeoutMs: number;
  /** `fetchMaxBytesPerPartition` of our reader and views (`undefined`: the adapter's default). */
  readonly fetchPartitionBytes: number | undefined;
  /** `maxBytesPerPartition` of the kafkajs consumer (`undefined`: kafkajs' defaults). */
  readonly kafkajsPartitionBytes: number | undefined;
}

/** One measured phase. */
export interface PhaseResult {
  readonly phase: Phase;
  readonly label: string;
  /** Records delivered (reads) or applied to storage (views). */
  readonly records: number;
  /** Wall time from the first call (connect / `run()`) until every record was there (`waitRunning()`). */
  readonly ms: number;
  /**
   * Of `ms`, the time before records flowed: connecting, metadata, group join (kafkajs), opening
   * storages and offset requests (views). `undefined` when not measurable.
   */
  readonly setupMs: number | undefined;
  /** Peak RSS sampled during the phase, bytes. */
  readonly peakRssBytes: number;
  /** RSS when the phase started (after a full GC), bytes: memory earlier phases left behind. */
  readonly startRssBytes: number;
  /** CPU time of this process (all its threads, user + system) during the phase, ms. */
  readonly cpuMs: number;
  /** Phase-specific numbers (fetches, storage batches, stop time, …). */
  readonly details: Readonly<Record<string, number | string>>;
}

/** Runs `measure` with a fresh heap and an RSS sampler around it. */
async function phase(
  measure: () => Promise<Omit<PhaseResult, 'peakRssBytes' | 'startRssBytes' | 'cpuMs'>>,
): Promise<PhaseResult> {
  collectGarbage();
  const sampler = new RssSampler();
  const cpu = process.cpuUsage();
  try {
    const result = await measure();
    const used = process.cpuUsage(cpu);
    return { ...result, peakRssBytes: sampler.stop(), startRssBytes: sampler.start, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    sampler.stop();
  }
}

/**
 * Makes sure the broker's group coordinator is up (a fresh broker creates `__consumer_offsets` on the
 * first coordinator lookup, which takes a second or so), so the kafkajs phase does not pay for it.
 */
export async function prepareGroupCoordinator(brokers: readonly string[]): Promise<void> {
  const admin = new kafkajs.Kafka({
    clientId: 'bench-prepare',
    brokers: [...brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  }).admin();
  await admin.connect();
  try {
    await admin.describeGroups([`bench-prepare-${randomUUID()}`]);
  } finally {
    await admin.disconnect();
  }
}

/**
 * (a) The baseline: a plain kafkajs consumer (new group, `fromBeginning`, `eachBatch`, no commits,
 * kafkajs' default fetch sizes) counting every record of the topic.
 */
export function kafkajsConsumer(context: PhaseContext): Promise<PhaseResult> {
  return phase(async () => {
    const kafka = new kafkajs.Kafka({
      clientId: 'bench-kafkajs',
      brokers: [...context.brokers],
      logLevel: kafkajs.logLevel.ERROR,
    });
    const perPartition = context.kafkajsPartitionBytes;
    const consumer = kafka.consumer({
      groupId: `bench-recovery-${randomUUID()}`,
      ...(perPartition === undefined ? {} : { maxBytesPerPartition: perPartition, maxBytes: perPartition * context.partitions }),
    });
    let count = 0;
    let batches = 0;
    let firstAt: number | undefined;
    let done!: () => void;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    const started = now();
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: context.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.messages.length === 0) return;
          firstAt ??= now();
          batches++;
          count += batch.messages.length;
          if (count >= context.records) done();
        },
      });
      await withTimeout('the kafkajs consumer', context.timeoutMs, all);
      const ms = now() - started;
      return {
        phase: 'kafkajs',
        label: 'kafkajs consumer, eachBatch',
        records: count,
        ms,
        setupMs: firstAt === undefined ? undefined : firstAt - started,
        details: { batches },
      };
    } finally {
      await consumer.disconnect();
    }
  });
}

/**
 * (e) Our multiplexed partition reader alone (`adapter.createReader().read(...)`, one fetch
 * session for all partitions): fetch and record decoding, no storage, no codec.
 */
export function ourReader(context: PhaseContext): Promise<PhaseResult> {
  return phase(async () => {
    const adapter = new KafkajsAdapter({
      brokers: context.brokers,
      clientId: 'bench-reader',
      logger: silentLogger,
      ...(context.fetchPartitionBytes === undefined ? {} : { fetchMaxBytesPerPartition: context.fetchPartitionBytes }),
    });
    const admin = adapter.createAdmin();
    const partitions = Array.from({ length: context.partitions }, (_, p) => p);
    await admin.connect();
    const offsets = await admin.offsets(context.topic, partitions).finally(() => admin.disconnect());
    const reader = adapter.createReader({ clientId: 'bench-reader' });
    const controller = new AbortController();
    let count = 0;
    let batches = 0;
    let firstAt: number | undefined;
    const started = now();
    try {
      await reader.connect();
      const readAll = Promise.all(
        partitions.map(async (partition) => {
          const hwm = offsets[partition]?.hwm ?? 0;
          const oldest = offsets[partition]?.oldest ?? 0;
          if (oldest >= hwm) return;
          for await (const batch of reader.read(context.topic, partition, oldest, controller.signal)) {
            if (batch.messages.length > 0) {
              firstAt ??= now();
              batches++;
              count += batch.messages.length;
            }
            if (batch.nextOffset >= hwm) break;
          }
        }),
      );
      await withTimeout('our reader', context.timeoutMs, readAll, () => controller.abort());
      const ms = now() - started;
      return {
        phase: 'reader',
        label: 'our reader (no storage)',
        records: count,
        ms,
        setupMs: firstAt === undefined ? undefined : firstAt - started,
        details: { batches },
      };
    } finally {
      controller.abort();
      await reader.disconnect();
    }
  });
}

export interface ViewPhase {
  readonly phase: Extract<Phase, 'view-rocksdb' | 'view-warm' | 'view-memory'>;
  readonly label: string;
  readonly storage: StorageFactory;
  /** Records the view must apply (0 for a warm start). */
  readonly expectedRecords: number;
}

/**
 * (b, c, d) A `View` on the table: time from `run()` to `waitRunning()` (every partition recovered
 * to the high-water mark), then the time `stop()` takes (closing the storages).
 */
export function viewRecovery(context: PhaseContext, spec: ViewPhase): Promise<PhaseResult> {
  return phase(async () => {
    const codec: Codec<unknown> = context.codec === 'string' ? codecs.string : codecs.bytes;
    const view = new View(context.topic, codec, {
      brokers: [...context.brokers],
      clientId: `bench-${spec.phase}`,
      storage: spec.storage,
      ...(context.fetchPartitionBytes === undefined ? {} : { fetchMaxBytesPerPartition: context.fetchPartitionBytes }),
    });
    const startedAtEpoch = Date.now();
    const started = now();
    const running = view.run();
    // A run that fails before `running` rejects waitRunning with the same error; keep `running` handled.
    running.catch(() => undefined);
    try {
      await withTimeout(spec.label, context.timeoutMs, view.waitRunning(), () => void view.stop());
    } catch (error) {
      await view.stop();
      throw error;
    }
    const ms = now() - started;
    const stats = view.stats();
    const atRunning = summarize(stats);
    // A view must not report `running` before every partition holds its records up to the high-water
    // mark measured at the start. If it does, say so, and measure until the records really are there.
    let appliedMs = ms;
    if (atRunning.records < spec.expectedRecords) {
      const short = stats.partitions
        .filter((partition) => (partition.offset ?? -1) + 1 < (partition.recovery.hwm ?? 0))
        .map((partition) => `p${partition.partition} at offset ${String(partition.offset)} of hwm ${String(partition.recovery.hwm)}`);
      console.warn(
        `  ! ${spec.label}: running after ${Math.round(ms)} ms with ${atRunning.records} of ${spec.expectedRecords} records applied ` +
          `(${short.join(', ')}); waiting for the rest`,
      );
      await withTimeout(`${spec.label} (rest)`, context.timeoutMs, waitForRecords(view, spec.expectedRecords));
      appliedMs = now() - started;
    }
    const final = summarize(view.stats());
    const stopStarted = now();
    await view.stop();
    await running;
    const stopMs = now() - stopStarted;
    if (final.records !== spec.expectedRecords) {
      console.warn(`  ! ${spec.label}: applied ${final.records} records, expected ${spec.expectedRecords}`);
    }
    return {
      phase: spec.phase,
      label: spec.label,
      records: final.records,
      ms: appliedMs,
      setupMs: final.firstStart === undefined ? undefined : Math.max(0, final.firstStart - startedAtEpoch),
      details: {
        storageBatches: final.writes,
        recordsPerBatch: final.writes === 0 ? 0 : Math.round(final.records / final.writes),
        slowestPartitionMs: final.slowestPartitionMs,
        stopMs: Math.round(stopMs),
        ...(appliedMs === ms ? {} : { runningEarlyMs: Math.round(ms), recordsAtRunning: atRunning.records }),
      },
    };
  });
}

/** Resolves once the view's partitions applied `records` records in all (polls its stats). */
async function waitForRecords(view: View<unknown>, records: number): Promise<void> {
  while (summarize(view.stats()).records < records) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface ViewSummary {
  readonly records: number;
  readonly writes: number;
  /** Earliest partition recovery start (epoch ms). */
  readonly firstStart: number | undefined;
  /** Longest single-partition recovery (ms). */
  readonly slowestPartitionMs: number;
}

function summarize(stats: ViewStats): ViewSummary {
  let records = 0;
  let writes = 0;
  let firstStart: number | undefined;
  let slowestPartitionMs = 0;
  for (const partition of stats.partitions) {
    records += partition.records;
    writes += partition.writes;
    const { startTime, endTime } = partition.recovery;
    if (startTime !== undefined) firstStart = Math.min(firstStart ?? startTime, startTime);
    if (startTime !== undefined && endTime !== undefined) slowestPartitionMs = Math.max(slowestPartitionMs, endTime - startTime);
  }
  return { records, writes, firstStart, slowestPartitionMs };
}

/** The storage factories of the view phases. */
export function rocksDbFactory(path: string): StorageFactory {
  return rocksDbStorageFactory({ path });
}

export function memoryFactory(): StorageFactory {
  return memoryStorageFactory();
}
