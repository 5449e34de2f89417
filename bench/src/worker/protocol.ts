/** Messages between the bench (parent) and a worker child process (`worker/main.ts`), over Node's IPC channel. */

/**
 * Where a processor worker keeps its table: `rocksdb` is `@goka/storage-rocksdb` (one database per
 * instance on `@nxtedition/rocksdb`); `rocksdb-legacy` is that package's previous storage on the
 * discontinued npm `rocksdb` (one database per partition; Node 20 only), kept for comparison; `memory`
 * is core's `MemoryStorage` (the table in the JS heap), which shows what the table's storage costs.
 */
export type BenchStorage = 'rocksdb' | 'rocksdb-legacy' | 'memory';

/**
 * The OpenTelemetry SDK of a traced count phase (`pipeline/tracing.ts`): the share of new traces its
 * sampler records (1: every message is traced; production apps usually sample).
 */
export interface BenchTracing {
  readonly sampleRatio: number;
}

/** What a worker runs. */
export type WorkerConfig =
  | {
      /** A Processor counting per key (`persist(int64)`) into RocksDB, from the oldest offset. */
      readonly mode: 'count';
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly group: string;
      readonly storagePath: string;
      readonly commitIntervalMs: number;
      readonly fetchPartitionBytes: number | undefined;
      /** The processor's `heartbeatIntervalMs` (`undefined`: its default, 3 s). */
      readonly heartbeatIntervalMs?: number | undefined;
      readonly clientId: string;
      /** Default `rocksdb`. */
      readonly storage?: BenchStorage | undefined;
      /** The processor's `guarantee` (default `at-least-once`). */
      readonly guarantee?: 'at-least-once' | 'exactly-once' | undefined;
      /** Node flags of the worker process beyond the bench's own (e.g. the README's memory advice). */
      readonly nodeFlags?: readonly string[] | undefined;
      /** An OpenTelemetry SDK registered in the worker (`undefined`: none, tracing off). */
      readonly tracing?: BenchTracing | undefined;
    }
  | {
      /** A Processor with `persist(bytes)` restoring its group table from Kafka into RocksDB (no input). */
      readonly mode: 'recover';
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly group: string;
      readonly storagePath: string;
      readonly clientId: string;
      /** Default `rocksdb`. */
      readonly storage?: BenchStorage | undefined;
    }
  | {
      /**
       * The raw kafkajs consume→produce→commit passthrough (the client's ceiling, and latency's
       * reference): a consumer from the beginning (eachBatch, no auto-commit) sends each batch to
       * `output` (same partition, key and value) in concurrent sendBatches of at most `sendRecords`
       * records, awaits the acks, then commits the batch.
       */
      readonly mode: 'relay';
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly output: string;
      readonly group: string;
      readonly sendRecords: number;
      /** `partitionsConsumedConcurrently`. */
      readonly concurrency: number;
    };

export type ToWorker =
  | { readonly type: 'start' }
  | { readonly type: 'get'; readonly keys: readonly string[] }
  | { readonly type: 'stop' };

export type FromWorker =
  /** Modules loaded and components built: the parent's clock starts at its `start`. */
  | { readonly type: 'loaded' }
  /** The first message reached the handler (epoch ms). */
  | { readonly type: 'first'; readonly at: number }
  /** `waitForReady()` resolved (consumer joined), `ms` after `start`; `records` restored into storage. */
  | { readonly type: 'ready'; readonly ms: number; readonly records: number; readonly partitions: readonly number[] }
  /** Answer to `get`: the values this instance holds (`null`: not here or absent). */
  | { readonly type: 'values'; readonly values: ReadonlyArray<number | null> }
  /**
   * Answer to `stop`: `peakRssKiB` is the process' peak RSS (`VmHWM` on Linux) when `stop` arrived (the phase's peak),
   * `exitPeakRssKiB` after stopping; `handled` messages; CPU time of the process since `start`.
   */
  | {
      readonly type: 'stopped';
      /** `process.memoryUsage()` when `stop` arrived: where the RSS is (JS heap vs native, e.g. RocksDB). */
      readonly memory: MemorySample;
      /** The sample with the highest RSS (every 20 ms from `start`): whether the peak is JS heap or native. */
      readonly atPeak: MemorySample;
      readonly peakRssKiB: number;
      readonly exitPeakRssKiB: number;
      readonly handled: number;
      readonly cpuMs: number;
      /** CPU time of the main thread (the event loop) alone, ms; `undefined` before Node 23.9. */
      readonly mainCpuMs: number | undefined;
      readonly stopMs: number;
      /** Exactly-once: the processor's transactions (`stats().transactions`) when `stop` arrived. */
      readonly transactions?: WorkerTransactions | undefined;
    }
  | { readonly type: 'error'; readonly message: string };

/** An exactly-once processor's transactions: committed, aborted, and the summed commit time (ms). */
export interface WorkerTransactions {
  readonly committed: number;
  readonly aborted: number;
  readonly totalCommitMs: number;
}

/** `process.memoryUsage()`'s numbers, bytes. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /**
   * Node workers, at the highest sample only: V8's young generation (its semi-spaces, sized by V8
   * from the machine's memory, not by what is live) and the RSS of mapped files (the node binary,
   * native addons; read when the worker stops, as they do not grow after start-up), bytes. What the RSS holds besides the JS heap, array buffers and these is native
   * memory: RocksDB, malloc's arenas, thread stacks.
   */
  readonly youngGeneration?: number;
  readonly fileBacked?: number;
}

/** The environment variable carrying the worker's JSON config. */
export const WORKER_CONFIG_ENV = 'GOKA_BENCH_WORKER';
