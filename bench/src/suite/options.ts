import { parseArgs } from 'node:util';
import { nonNegativeInt, optionalInt, positiveInt, RUN_FLAGS, runOptions, subsetOf, type RunOptions } from '../support/cli.js';

/** The parts of `pnpm bench`, in the order they run. */
export const SECTIONS = ['count', 'scaling', 'broker', 'recovery', 'latency', 'storage', 'compression', 'codecs'] as const;
export type Section = (typeof SECTIONS)[number];

export interface SuiteOptions extends RunOptions {
  readonly sections: readonly Section[];
  /** Count pipeline: messages over keys into an input topic of `partitions` partitions. */
  readonly messages: number;
  readonly keys: number;
  readonly partitions: number;
  readonly valueBytes: number;
  /** Rounds of the count pipeline's phases (raw, 1 process, 2 processes), interleaved; medians reported. */
  readonly rounds: number;
  readonly commitIntervalMs: number;
  /**
   * Exactly-once phases (count and latency): one per commit interval, ms. The first is the one the
   * summary's target is checked on (default: the processor's own default in exactly-once mode, 100).
   */
  readonly eosCommitIntervalsMs: readonly number[];
  /**
   * Traced count phases (issue 19): one per sample ratio of an OpenTelemetry SDK registered in the
   * processor's process; the first gets the summary's target. Empty: none.
   */
  readonly tracingSampleRatios: readonly number[];
  /** `heartbeatIntervalMs` of the processors (`undefined`: the processor's default, 3 s). */
  readonly heartbeatIntervalMs: number | undefined;
  /** Records of the recovered group table (unique keys). */
  readonly recoveryRecords: number;
  /** Storage: the wide partition count of one instance, compared with `partitions`. */
  readonly widePartitions: number;
  /** Storage: messages and value bytes of the large-values count (0 messages: not run). */
  readonly largeMessages: number;
  readonly largeValueBytes: number;
  /** Latency: messages per second, seconds measured, seconds of warm-up. */
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly latencyWarmupSeconds: number;
  /** Compression: records written per codec and writer (Emitter, processor outputs) in each round. */
  readonly compressionRecords: number;
  /** Folder of the results (`bench-<date>.json`/`.md`, `latest.json`/`.md`). */
  readonly outDir: string | undefined;
  /** Run Go Goka (bench/goka) next to ours in the count and recovery sections (when `go` is installed). */
  readonly goka: boolean;
  /** Count rounds: also the processor with its table in core's `MemoryStorage`, to show what RocksDB costs. */
  readonly memoryTable: boolean;
}

export const SUITE_USAGE = `usage: pnpm bench [options]

Runs every benchmark of issue 8 on one broker and prints one table with the targets.

  --sections LIST        comma-separated subset of ${SECTIONS.join(',')} (default: all)
  --messages N           count pipeline messages (default 1000000)
  --keys N               count pipeline keys (default 100000)
  --partitions N         partitions of every topic (default 8)
  --value-bytes N        bytes per value (default 100)
  --rounds N             rounds of the count pipeline phases (raw, 1 process, Go Goka, 2 processes, …), interleaved;
                         each phase's median round is reported (default 3)
  --commit-interval MS   commitIntervalMs of the at-least-once processors (default 200)
  --eos-commit-interval LIST  commitIntervalMs of the exactly-once processors, comma-separated: one count
                         phase and one latency path per value; the first gets the summary's target
                         (default 100, the processor's default in exactly-once mode; e.g. 100,250,1000)
  --tracing-sample LIST  sample ratios of the traced count phases (an OpenTelemetry SDK in the processor's
                         process, parent-based sampler), comma-separated, each in (0, 1]: one phase per value,
                         the first gets the summary's target (default 1,0.1; 'none' runs none)
  --heartbeat-interval MS  heartbeatIntervalMs of the processors (default: the processor's, 3000); a member
                         learns of a rebalance (e.g. the second process joining) at its next heartbeat
  --recovery-records N   records (unique keys) of the recovered group table (default 1000000)
  --wide-partitions N    storage: the count pipeline at N partitions per instance next to --partitions
                         (default 128); the old rocksdb binding runs beside the current one on Node 20
  --large-messages N     storage: the count pipeline once more over N messages of --large-value-bytes each,
                         at --partitions (default 10000; 0 runs none)
  --large-value-bytes N  bytes per value of that input (default 102400)
  --latency-rate N       messages per second of the latency run (default 1000)
  --latency-seconds S    seconds measured (default 20)
  --latency-warmup S     seconds emitted before measuring (default 3)
  --compression-records N  compression: JSON events (about 120 B) written per codec through an Emitter and
                         through a processor's outputs, in each of --rounds rounds (default 200000)
  --no-goka              leave out Go Goka (bench/goka, built with \`go build\`), which otherwise runs in
                         the count rounds and the recovery section next to ours when \`go\` is installed
  --no-memory-table      leave out the count phase with the table in MemoryStorage instead of RocksDB
                         (it shows what the table's storage costs the pipeline)
  --port P               port of the bench's own broker when KAFKA_BROKERS is not set (default 19592)
  --keep-broker          leave the broker the bench started running
  --out-dir DIR          results folder (default bench/results)
  --no-json              write no result files
  --phase-timeout S      seconds one phase may take (default 300)

  KAFKA_BROKERS=host:port,...  use these brokers instead of starting one`;

/** Parses the command line; returns `undefined` after printing the usage for `--help`. */
export function parseSuiteOptions(argv: readonly string[]): SuiteOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sections: { type: 'string' },
      messages: { type: 'string' },
      keys: { type: 'string' },
      partitions: { type: 'string' },
      'value-bytes': { type: 'string' },
      rounds: { type: 'string' },
      'commit-interval': { type: 'string' },
      'eos-commit-interval': { type: 'string' },
      'tracing-sample': { type: 'string' },
      'heartbeat-interval': { type: 'string' },
      'recovery-records': { type: 'string' },
      'wide-partitions': { type: 'string' },
      'large-messages': { type: 'string' },
      'large-value-bytes': { type: 'string' },
      'latency-rate': { type: 'string' },
      'latency-seconds': { type: 'string' },
      'latency-warmup': { type: 'string' },
      'compression-records': { type: 'string' },
      'out-dir': { type: 'string' },
      'no-goka': { type: 'boolean' },
      'no-memory-table': { type: 'boolean' },
      ...RUN_FLAGS,
    },
  });
  if (values.help === true) {
    console.log(SUITE_USAGE);
    return undefined;
  }
  return {
    sections: subsetOf(values.sections, SECTIONS, 'section'),
    messages: positiveInt(values.messages, '--messages', 1_000_000),
    keys: positiveInt(values.keys, '--keys', 100_000),
    partitions: positiveInt(values.partitions, '--partitions', 8),
    valueBytes: positiveInt(values['value-bytes'], '--value-bytes', 100),
    rounds: positiveInt(values.rounds, '--rounds', 3),
    commitIntervalMs: positiveInt(values['commit-interval'], '--commit-interval', 200),
    tracingSampleRatios: sampleRatios(values['tracing-sample'] ?? '1,0.1'),
    eosCommitIntervalsMs: (values['eos-commit-interval'] ?? '100').split(',').map((item) => positiveInt(item.trim(), '--eos-commit-interval', 100)),
    heartbeatIntervalMs: optionalInt(values['heartbeat-interval'], '--heartbeat-interval'),
    recoveryRecords: positiveInt(values['recovery-records'], '--recovery-records', 1_000_000),
    widePartitions: positiveInt(values['wide-partitions'], '--wide-partitions', 128),
    largeMessages: nonNegativeInt(values['large-messages'], '--large-messages', 10_000),
    largeValueBytes: positiveInt(values['large-value-bytes'], '--large-value-bytes', 100 * 1024),
    latencyRate: positiveInt(values['latency-rate'], '--latency-rate', 1000),
    latencySeconds: positiveInt(values['latency-seconds'], '--latency-seconds', 20),
    latencyWarmupSeconds: positiveInt(values['latency-warmup'], '--latency-warmup', 3),
    compressionRecords: positiveInt(values['compression-records'], '--compression-records', 200_000),
    outDir: values['out-dir'],
    goka: values['no-goka'] !== true,
    memoryTable: values['no-memory-table'] !== true,
    ...runOptions(values, 300),
  };
}

/** `--tracing-sample`: ratios in (0, 1], or `none`. */
function sampleRatios(text: string): number[] {
  if (text.trim() === 'none') return [];
  return text.split(',').map((item) => {
    const ratio = Number(item.trim());
    if (!(ratio > 0 && ratio <= 1)) throw new Error(`--tracing-sample: ${item} is no ratio in (0, 1]`);
    return ratio;
  });
}
