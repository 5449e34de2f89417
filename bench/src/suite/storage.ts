import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tableName } from '@goka/core';
import { createTopic, kafkajsAdmin, topicHwms } from '../pipeline/phases.js';
import type { PipelineContext } from '../pipeline/phases.js';
import { fillTable } from '../support/fill.js';
import type { BenchStorage } from '../worker/protocol.js';
import { pipelineInWorkers } from './count.js';
import type { WorkerCountResult } from './count.js';
import { startOnce } from './recovery.js';
import type { RecoveryStart } from './recovery.js';

/** What the storage section measures. */
export interface StorageSpec {
  readonly brokers: readonly string[];
  readonly messages: number;
  readonly keys: number;
  readonly valueBytes: number;
  /** Partitions of the narrow and the wide count input. */
  readonly partitions: readonly [narrow: number, wide: number];
  readonly recoveryRecords: number;
  /** The count pipeline once more with large values at the narrow partition count (`undefined`: not run). */
  readonly largeValues: LargeValues | undefined;
  readonly rounds: number;
  readonly commitIntervalMs: number;
  readonly storageRoot: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  /** Runs one phase, recording (not rethrowing) its failure: the section goes on. */
  readonly attempt: <T>(what: string, run: () => Promise<T>) => Promise<T | undefined>;
}

/** A count input of few, large messages (issue 21: a processor's RSS with 100 KB values). */
export interface LargeValues {
  readonly messages: number;
  readonly valueBytes: number;
}

/** One count phase over its rounds. */
export interface StorageCount {
  readonly storage: BenchStorage;
  readonly partitions: number;
  /** Set for the large-values phase (absent: the spec's messages and value size). */
  readonly largeValues?: LargeValues;
  /** Node flags of the processor process (none, or absent in older results: Node's defaults). */
  readonly nodeFlags?: readonly string[];
  readonly rounds: readonly WorkerCountResult[];
}

/**
 * The README's advice for a memory limit (section "Memory"): a young generation of 16 MiB semi-spaces
 * instead of the up to 64 MiB Node 24 grows to on a large machine, and an old-generation limit, under
 * which V8 collects the old generation long before it reaches 4× what is live (what it allows itself
 * with a large limit). Both counts (narrow and wide) run with it too, beside Node's defaults.
 */
export const MEMORY_ADVICE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--max-old-space-size=1024'];

/** One binding's cold and warm recovery of the same table. */
export interface StorageRecovery {
  readonly storage: BenchStorage;
  readonly cold: RecoveryStart;
  readonly warm: RecoveryStart;
}

export interface StorageResult {
  readonly node: string;
  /** Why the old binding did not run (it aborts on Node 22 and 24), or `undefined` when it ran. */
  readonly legacySkipped: string | undefined;
  readonly counts: readonly StorageCount[];
  readonly recoveries: readonly StorageRecovery[];
}

/** The old `rocksdb` binding loads only on Node 20 (on 22 and 24 it aborts the process with `std::bad_alloc`). */
export function legacyBindingRuns(version = process.versions.node): boolean {
  return Number(version.split('.')[0]) < 22;
}

export const STORAGE_LABEL: Record<BenchStorage, string> = {
  rocksdb: '@nxtedition/rocksdb, one database per instance',
  'rocksdb-legacy': 'old rocksdb 5.2.1, one database per partition',
  memory: "core's MemoryStorage, the table in the JS heap",
};

/**
 * The storage section: a cold and a warm recovery of one group table with each binding, then the
 * count pipeline on the current storage and on the old binding's, at the narrow partition count (8)
 * and the wide one (128), interleaved over rounds, each in a fresh child process.
 */
export async function storageSuite(spec: StorageSpec): Promise<StorageResult> {
  const legacy = legacyBindingRuns();
  const bindings: BenchStorage[] = legacy ? ['rocksdb', 'rocksdb-legacy'] : ['rocksdb'];
  const legacySkipped = legacy ? undefined : `the old rocksdb binding aborts on Node ${process.versions.node}; run the bench on Node 20 to compare`;
  if (legacySkipped !== undefined) spec.log(`  ${legacySkipped}`);
  // One after the other: an Emitter right after its topic's creation may find no leader yet, the more
  // so while the broker creates another topic (the Emitter's retries through that are issue 14's).
  const inputs: PipelineContext[] = [];
  for (const partitions of spec.partitions) inputs.push(await countInput(spec, partitions));
  const counts: StorageCount[] = inputs.flatMap((context) => [
    ...bindings.map((storage) => ({ storage, partitions: context.partitions, nodeFlags: [], rounds: [] as WorkerCountResult[] })),
    { storage: 'rocksdb' as const, partitions: context.partitions, nodeFlags: MEMORY_ADVICE_FLAGS, rounds: [] as WorkerCountResult[] },
  ]);
  const [narrow] = spec.partitions;
  const large = spec.largeValues === undefined ? undefined : await countInput(spec, narrow, spec.largeValues);
  if (large !== undefined && spec.largeValues !== undefined) {
    inputs.push(large);
    counts.push({ storage: 'rocksdb', partitions: narrow, largeValues: spec.largeValues, nodeFlags: [], rounds: [] });
  }
  const inputOf = (phase: StorageCount): PipelineContext | undefined =>
    phase.largeValues === undefined ? inputs.find((input) => input.partitions === phase.partitions && input !== large) : large;
  const recoveries: StorageRecovery[] = [];
  try {
    // Recoveries first: right after a topic deletion the broker may not yet serve a newly created topic.
    for (const storage of bindings) {
      const recovery = await spec.attempt(`recovery, ${STORAGE_LABEL[storage]}`, () => recoveryWith(spec, storage));
      if (recovery !== undefined) recoveries.push(recovery);
    }
    for (let round = 1; round <= spec.rounds; round++) {
      for (const phase of counts) {
        const context = inputOf(phase);
        if (context === undefined) continue;
        const what = `round ${round}: ${countLabel(phase)}`;
        const flagged = { ...context, workerNodeFlags: phase.nodeFlags ?? [] };
        const result = await spec.attempt(what, () => pipelineInWorkers(flagged, 'processor', 1, undefined, phase.storage));
        if (result === undefined) continue;
        (phase.rounds as WorkerCountResult[]).push(result);
        spec.log(`  ${what}: ${Math.round(result.messagesPerSecond).toLocaleString('en-US')} msgs/s, peak RSS ${result.workers.map((w) => w.peakRssMiB).join(' / ')} MiB`);
      }
    }
  } finally {
    const admin = kafkajsAdmin(spec.brokers, 'bench-storage-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: inputs.map((input) => input.topic) }).catch(() => undefined);
    await admin.disconnect();
  }
  return { node: process.version, legacySkipped, counts, recoveries };
}

/** `count, 128 partitions, <binding>[, node --flag]`, or `count, 8 partitions, 10,000 messages of 100 KiB, <binding>`. */
export function countLabel(count: Pick<StorageCount, 'storage' | 'partitions' | 'nodeFlags' | 'largeValues'>): string {
  const flags = (count.nodeFlags ?? []).length === 0 ? '' : `, node ${(count.nodeFlags ?? []).join(' ')}`;
  const values = count.largeValues === undefined ? '' : `, ${largeValuesLabel(count.largeValues)}`;
  return `count, ${count.partitions} partitions${values}, ${STORAGE_LABEL[count.storage]}${flags}`;
}

/** `10,000 messages of 100 KiB`. */
export function largeValuesLabel({ messages, valueBytes }: LargeValues): string {
  const size = valueBytes % 1024 === 0 ? `${valueBytes / 1024} KiB` : `${valueBytes.toLocaleString('en-US')} B`;
  return `${messages.toLocaleString('en-US')} messages of ${size}`;
}

/** Fills one count input topic (delete policy) with `spec.messages` messages, or the large ones. */
async function countInput(spec: StorageSpec, partitions: number, large?: LargeValues): Promise<PipelineContext> {
  const topic = `bench-storage-input-${partitions}p${large === undefined ? '' : '-large'}-${randomUUID().slice(0, 8)}`;
  const messages = large?.messages ?? spec.messages;
  const keys = Math.min(spec.keys, messages);
  const valueBytes = large?.valueBytes ?? spec.valueBytes;
  const fill = await fillTable(
    { brokers: spec.brokers, topic, partitions, records: messages, keys, cleanupPolicy: 'delete', valueBytes, batchRecords: 2000 },
    spec.log,
  );
  spec.log(`  filled ${topic} (${partitions} partitions) in ${Math.round(fill.ms)} ms`);
  return {
    brokers: spec.brokers,
    topic,
    partitions,
    messages,
    keys,
    hwms: await topicHwms(spec.brokers, topic, partitions),
    timeoutMs: spec.timeoutMs,
    rawSendRecords: 2000,
    rawConcurrency: partitions,
    commitIntervalMs: spec.commitIntervalMs,
    fetchPartitionBytes: undefined,
    storagePath: join(spec.storageRoot, `storage-${partitions}p${large === undefined ? '' : '-large'}`),
  };
}

/** A table of `recoveryRecords` keys (narrow partition count) restored cold, then warm, with one binding. */
async function recoveryWith(spec: StorageSpec, storage: BenchStorage): Promise<StorageRecovery> {
  const group = `bench-storage-recovery-${randomUUID().slice(0, 8)}`;
  const table = tableName(group);
  const input = `${group}-input`;
  const [partitions] = spec.partitions;
  try {
    await fillTable({ brokers: spec.brokers, topic: table, partitions, records: spec.recoveryRecords, valueBytes: spec.valueBytes, batchRecords: 2000 }, spec.log);
    await createTopic(spec.brokers, input, partitions);
    const path = join(spec.storageRoot, group);
    const target = { brokers: spec.brokers, timeoutMs: spec.timeoutMs, storage };
    const cold = await startOnce(target, group, input, path, 'cold');
    const warm = await startOnce(target, group, input, path, 'warm');
    spec.log(`  recovery, ${STORAGE_LABEL[storage]}: cold ${Math.round(cold.recordsPerSecond ?? 0).toLocaleString('en-US')} records/s (peak RSS ${cold.peakRssMiB} MiB), warm ${Math.round(warm.ms)} ms`);
    return { storage, cold, warm };
  } finally {
    const admin = kafkajsAdmin(spec.brokers, 'bench-storage-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [table, input] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}
