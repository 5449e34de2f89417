import { parseArgs } from 'node:util';
import { optionalInt, positiveInt, RUN_FLAGS, runOptions, subsetOf, type RunOptions } from '../support/cli.js';

/** The measurements of the recovery bench, in the order they run. */
export const PHASES = ['kafkajs', 'reader', 'view-rocksdb', 'view-warm', 'view-memory'] as const;
export type Phase = (typeof PHASES)[number];

export const CODECS = ['bytes', 'string'] as const;
export type CodecName = (typeof CODECS)[number];

export interface RecoveryBenchOptions extends RunOptions {
  /** Most records per Emitter send while filling. */
  readonly fillBatchRecords: number;
  /** Records in the table topic (unique keys `key-<i>`). */
  readonly records: number;
  readonly partitions: number;
  /** Bytes of each value. */
  readonly valueBytes: number;
  /** An existing table topic to read instead of filling a new one (must hold `records` records). */
  readonly topic: string | undefined;
  /** Keep the table topic after the run (it is deleted from a broker the bench did not start). */
  readonly keepTopic: boolean;
  readonly phases: readonly Phase[];
  /** How often every phase runs (interleaved); the table shows each phase's median round. */
  readonly rounds: number;
  /** Read the topic once, unmeasured, before the rounds (warms the broker's fetch path and our JIT). */
  readonly warmup: boolean;
  /** The view's codec: `bytes` (no decode cost, like the raw consumer) or `string` (UTF-8 decode). */
  readonly codec: CodecName;
  /** Where to write the JSON result; `undefined`: `bench/results/view-recovery-<date>.json`. */
  readonly out: string | undefined;
  /** `fetchMaxBytesPerPartition` of our reader and views; `undefined`: the adapter's default (256 KiB). */
  readonly fetchPartitionBytes: number | undefined;
  /** `maxBytesPerPartition` of the kafkajs consumer (`maxBytes` = partitions × it); `undefined`: kafkajs' defaults. */
  readonly kafkajsPartitionBytes: number | undefined;
}

export const USAGE = `usage: pnpm bench:recovery [options]

  --records N          records in the table topic (default 1000000; unique keys key-<i>)
  --partitions N       partitions of the table topic (default 8)
  --value-bytes N      bytes per value (default 100)
  --fill-batch-records N   records per Emitter send while filling (default 2000)
  --phases LIST        comma-separated subset of ${PHASES.join(',')} (default: all)
  --rounds N           run the phases N times, interleaved, and report each phase's median (default 3)
  --no-warmup          skip the unmeasured read of the whole topic before round 1
  --codec NAME         the views' codec: bytes (default, no decode work) or string (UTF-8 decode)
  --topic NAME         read an existing, already filled table topic instead of filling a new one
  --keep-topic         do not delete the table topic at the end
  --port P             port of the bench's own broker when KAFKA_BROKERS is not set (default 19592)
  --keep-broker        leave the broker the bench started running (stop it with pnpm kafka down --port P)
  --out FILE           JSON result file (default bench/results/view-recovery-<date>.json)
  --no-json            do not write a JSON result
  --phase-timeout S    seconds one phase may take (default 240)
  --fetch-partition-bytes N    fetchMaxBytesPerPartition of our reader and views (default: the adapter's, 256 KiB)
  --kafkajs-partition-bytes N  maxBytesPerPartition of the kafkajs consumer, maxBytes = partitions × N
                               (default: kafkajs' own, 1 MiB per partition and 10 MiB per fetch)

  KAFKA_BROKERS=host:port,...  use these brokers instead of starting one`;

function codecName(value: string | undefined): CodecName {
  if (value === undefined) return 'bytes';
  if ((CODECS as readonly string[]).includes(value)) return value as CodecName;
  throw new Error(`--codec must be one of ${CODECS.join(', ')}, got ${value}`);
}

/** Parses the command line; returns `undefined` after printing the usage for `--help`. */
export function parseRecoveryOptions(argv: readonly string[]): RecoveryBenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      records: { type: 'string' },
      partitions: { type: 'string' },
      'value-bytes': { type: 'string' },
      'fill-batch-records': { type: 'string' },
      phases: { type: 'string' },
      rounds: { type: 'string' },
      'no-warmup': { type: 'boolean' },
      codec: { type: 'string' },
      topic: { type: 'string' },
      'keep-topic': { type: 'boolean' },
      out: { type: 'string' },
      'fetch-partition-bytes': { type: 'string' },
      'kafkajs-partition-bytes': { type: 'string' },
      ...RUN_FLAGS,
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    return undefined;
  }
  return {
    records: positiveInt(values.records, '--records', 1_000_000),
    partitions: positiveInt(values.partitions, '--partitions', 8),
    valueBytes: positiveInt(values['value-bytes'], '--value-bytes', 100),
    fillBatchRecords: positiveInt(values['fill-batch-records'], '--fill-batch-records', 2000),
    topic: values.topic,
    keepTopic: values['keep-topic'] === true,
    phases: subsetOf(values.phases, PHASES, 'phase'),
    rounds: positiveInt(values.rounds, '--rounds', 3),
    warmup: values['no-warmup'] !== true,
    codec: codecName(values.codec),
    out: values.out,
    fetchPartitionBytes: optionalInt(values['fetch-partition-bytes'], '--fetch-partition-bytes'),
    kafkajsPartitionBytes: optionalInt(values['kafkajs-partition-bytes'], '--kafkajs-partition-bytes'),
    ...runOptions(values, 240),
  };
}
