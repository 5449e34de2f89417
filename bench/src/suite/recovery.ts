import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tableName } from '@goka/core';
import { createTopic, kafkajsAdmin } from '../pipeline/phases.js';
import { kafkajsConsumer, ourReader } from '../recovery/phases.js';
import type { PhaseContext } from '../recovery/phases.js';
import { fillTable } from '../support/fill.js';
import type { FillResult } from '../support/fill.js';
import { mib, withTimeout } from '../support/measure.js';
import type { GokaBuild } from '../support/go-build.js';
import { GoWorkerProcess } from '../support/go-worker.js';
import type { GokaRetry } from '../support/go-worker.js';
import { WorkerProcess } from '../support/worker.js';
import type { BenchStorage } from '../worker/protocol.js';
import { inMiB } from './count.js';
import type { MemoryMiB } from './count.js';

export interface RecoverySpec {
  readonly brokers: readonly string[];
  readonly partitions: number;
  readonly records: number;
  readonly valueBytes: number;
  readonly fillBatchRecords: number;
  readonly storageRoot: string;
  readonly timeoutMs: number;
  readonly warmup: boolean;
  readonly log: (line: string) => void;
  /** Go Goka's cold recovery of the same table too (bench/goka `-mode recover`); `undefined`: none. */
  readonly goka?: GokaBuild | undefined;
  /** Runs a phase that may fail without failing the suite (records the failure); default: run it. */
  readonly attempt?: <T>(what: string, run: () => Promise<T>) => Promise<T | undefined>;
}

/** One processor start in a child process. */
export interface RecoveryStart {
  /** From `run()` until `waitForReady()` resolved (table restored, consumer group joined). */
  readonly ms: number;
  /** Records restored into RocksDB (the partition tables' applied records). */
  readonly records: number;
  /** `records / ms` per second; `undefined` for a warm start that restored nothing. */
  readonly recordsPerSecond: number | undefined;
  readonly peakRssMiB: number;
  /** `process.memoryUsage()` when ready, MiB: JS heap vs the rest (native: RocksDB, buffers). */
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  /** JS heap (total, used) at the sample with the highest RSS, MiB. */
  /** Memory at the sample with the highest RSS. */
  readonly atPeak: MemoryMiB;
  readonly cpuMs: number;
  readonly stopMs: number;
}

export interface RecoveryResult {
  readonly group: string;
  readonly fill: FillResult;
  /** A plain kafkajs consumer reading the whole table topic in this process (the client's reading ceiling). */
  readonly kafkajs: { readonly records: number; readonly ms: number; readonly recordsPerSecond: number };
  readonly cold: RecoveryStart;
  readonly warm: RecoveryStart;
  /** Go Goka's cold recovery of the same table into LevelDB (a child process), after ours. */
  readonly goka?: GokaRecoveryStart | undefined;
}

/** Go Goka's processor restoring the table: timed like ours, with the failed runs it started again. */
export interface GokaRecoveryStart extends RecoveryStart {
  readonly retries: readonly GokaRetry[];
}

/** What one recovery start needs. */
export interface RecoveryTarget {
  readonly brokers: readonly string[];
  readonly timeoutMs: number;
  /** Default `rocksdb`. */
  readonly storage?: BenchStorage;
}

/**
 * One processor start (`persist(bytes)`, no input records) in a child process, timed until ready: ours,
 * or Go Goka's when `goka` is given (LevelDB in `storagePath`).
 */
export async function startOnce(spec: RecoveryTarget, group: string, input: string, storagePath: string, name: string): Promise<RecoveryStart>;
export async function startOnce(spec: RecoveryTarget, group: string, input: string, storagePath: string, name: string, goka: GokaBuild): Promise<GokaRecoveryStart>;
export async function startOnce(spec: RecoveryTarget, group: string, input: string, storagePath: string, name: string, goka?: GokaBuild): Promise<RecoveryStart> {
  const clientId = `bench-recovery-${name}`;
  const worker =
    goka === undefined
      ? await WorkerProcess.spawn({ mode: 'recover', brokers: spec.brokers, topic: input, group, storagePath, clientId, storage: spec.storage }, `${group} ${name}`)
      : await GoWorkerProcess.spawn(goka.binary, { mode: 'recover', brokers: spec.brokers, topic: input, group, storagePath, clientId }, `${group} ${name}`);
  try {
    const ready = await withTimeout(`the ${name} recovery`, spec.timeoutMs, worker.start());
    const stopped = await worker.stop();
    return {
      ms: ready.ms,
      records: ready.records,
      recordsPerSecond: ready.records === 0 ? undefined : (ready.records * 1000) / ready.ms,
      peakRssMiB: mib(stopped.peakRssKiB * 1024),
      heapUsedMiB: mib(stopped.memory.heapUsed),
      rssMiB: mib(stopped.memory.rss),
      atPeak: inMiB(stopped.atPeak),
      cpuMs: Math.round(stopped.cpuMs),
      stopMs: Math.round(stopped.stopMs),
      ...(worker instanceof GoWorkerProcess ? { retries: worker.retries } : {}),
    };
  } finally {
    worker.kill();
  }
}

/**
 * (3) A processor's group table of `records` unique keys (`<group>-table`, compacted, filled through
 * our Emitter) restored into RocksDB by a fresh processor in a child process (cold), then by a new
 * process on the same RocksDB directory (warm: local state, nothing to restore).
 */
export async function recoverySuite(spec: RecoverySpec): Promise<RecoveryResult> {
  const group = `bench-recovery-${randomUUID().slice(0, 8)}`;
  const table = tableName(group);
  const input = `${group}-input`;
  try {
    const fill = await fillTable(
      { brokers: spec.brokers, topic: table, partitions: spec.partitions, records: spec.records, valueBytes: spec.valueBytes, batchRecords: spec.fillBatchRecords },
      spec.log,
    );
    await createTopic(spec.brokers, input, spec.partitions);
    const context: PhaseContext = {
      brokers: spec.brokers,
      topic: table,
      partitions: spec.partitions,
      records: spec.records,
      codec: 'bytes',
      timeoutMs: spec.timeoutMs,
      fetchPartitionBytes: undefined,
      kafkajsPartitionBytes: undefined,
    };
    if (spec.warmup) await ourReader(context);
    const raw = await kafkajsConsumer(context);
    spec.log(`  kafkajs consumer read the table: ${Math.round((raw.records * 1000) / raw.ms)} records/s`);
    const storagePath = join(spec.storageRoot, group);
    const cold = await startOnce(spec, group, input, storagePath, 'cold');
    spec.log(`  cold: ${cold.records} records in ${Math.round(cold.ms)} ms, peak RSS ${cold.peakRssMiB} MiB`);
    const warm = await startOnce(spec, group, input, storagePath, 'warm');
    spec.log(`  warm: ${warm.records} records in ${Math.round(warm.ms)} ms, peak RSS ${warm.peakRssMiB} MiB`);
    // Go Goka restores the same table cold, in the same group (ours left it), into its own LevelDB.
    const goka = spec.goka;
    const gokaCold = goka === undefined ? undefined : await (spec.attempt ?? ((_, run) => run()))('Go Goka cold recovery', () =>
      startOnce(spec, group, input, `${storagePath}-goka`, 'goka-cold', goka),
    );
    if (gokaCold !== undefined) {
      spec.log(`  Go Goka cold: ${gokaCold.records} records in ${Math.round(gokaCold.ms)} ms, peak RSS ${gokaCold.peakRssMiB} MiB, ${gokaCold.retries.length} retries`);
    }
    return {
      group,
      fill,
      kafkajs: { records: raw.records, ms: raw.ms, recordsPerSecond: (raw.records * 1000) / raw.ms },
      cold,
      warm,
      goka: gokaCold,
    };
  } finally {
    const admin = kafkajsAdmin(spec.brokers, 'bench-recovery-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [table, input] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}
