import { parseArgs } from 'node:util';
import { optionalInt, positiveInt, RUN_FLAGS, runOptions, subsetOf, type RunOptions } from '../support/cli.js';

export interface PipelineBenchOptions extends RunOptions {
  /** Messages in the input topic. */
  readonly messages: number;
  /** Distinct keys: message `i` has key `key-<i mod keys>`. */
  readonly keys: number;
  readonly partitions: number;
  /** Bytes of each value. */
  readonly valueBytes: number;
  /** Most records per Emitter send while filling. */
  readonly fillBatchRecords: number;
  /** Most records per kafkajs `sendBatch` of the raw passthrough (its sends of one batch run concurrently). */
  readonly rawSendRecords: number;
  /** `partitionsConsumedConcurrently` of the raw passthrough. */
  readonly rawConcurrency: number;
  /** `commitIntervalMs` of our processor. */
  readonly commitIntervalMs: number;
  /** `fetchMaxBytesPerPartition` of our processor's adapter; `undefined`: the adapter's default (256 KiB). */
  readonly fetchPartitionBytes: number | undefined;
  /** The phases to run, in order. */
  readonly phases: readonly PipelinePhase[];
  /** Read the input once, unmeasured, before the phases. */
  readonly warmup: boolean;
  /** An existing, already filled input topic to use instead of filling a new one (e.g. for profiling). */
  readonly topic: string | undefined;
  readonly out: string | undefined;
}

/** `processor-traced`: the processor with an OpenTelemetry SDK registered (every message traced). */
export const PIPELINE_PHASES = ['raw', 'processor', 'processor-traced'] as const;
export type PipelinePhase = (typeof PIPELINE_PHASES)[number];

export const PIPELINE_USAGE = `usage: pnpm bench:pipeline [options]

  --messages N          messages in the input topic (default 1000000)
  --keys N              distinct keys, key-<i mod N> (default 100000)
  --partitions N        partitions of the input topic (default 8)
  --value-bytes N       bytes per value (default 100)
  --fill-batch-records N    records per Emitter send while filling (default 2000)
  --raw-send-records N      records per sendBatch of the raw passthrough (default 2000)
  --raw-concurrency N       partitionsConsumedConcurrently of the raw passthrough (default: --partitions)
  --commit-interval MS      commitIntervalMs of our processor (default 200)
  --fetch-partition-bytes N fetchMaxBytesPerPartition of our processor (default: the adapter's, 256 KiB)
  --phases LIST         comma-separated subset of ${PIPELINE_PHASES.join(',')} (default: all)
  --no-warmup           skip the unmeasured read of the input before the phases
  --topic NAME          use an existing filled input topic (kept from a --keep-broker run) instead of filling one
  --port P              port of the bench's own broker when KAFKA_BROKERS is not set (default 19592)
  --keep-broker         leave the broker the bench started running (stop it with pnpm kafka down --port P)
  --out FILE            JSON result file (default bench/results/count-pipeline-<date>.json)
  --no-json             do not write a JSON result
  --phase-timeout S     seconds one phase may take (default 300)

  KAFKA_BROKERS=host:port,...  use these brokers instead of starting one`;

/** Parses the command line; returns `undefined` after printing the usage for `--help`. */
export function parsePipelineOptions(argv: readonly string[]): PipelineBenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      messages: { type: 'string' },
      keys: { type: 'string' },
      partitions: { type: 'string' },
      'value-bytes': { type: 'string' },
      'fill-batch-records': { type: 'string' },
      'raw-send-records': { type: 'string' },
      'raw-concurrency': { type: 'string' },
      'commit-interval': { type: 'string' },
      'fetch-partition-bytes': { type: 'string' },
      phases: { type: 'string' },
      'no-warmup': { type: 'boolean' },
      topic: { type: 'string' },
      out: { type: 'string' },
      ...RUN_FLAGS,
    },
  });
  if (values.help === true) {
    console.log(PIPELINE_USAGE);
    return undefined;
  }
  const partitions = positiveInt(values.partitions, '--partitions', 8);
  return {
    messages: positiveInt(values.messages, '--messages', 1_000_000),
    keys: positiveInt(values.keys, '--keys', 100_000),
    partitions,
    valueBytes: positiveInt(values['value-bytes'], '--value-bytes', 100),
    fillBatchRecords: positiveInt(values['fill-batch-records'], '--fill-batch-records', 2000),
    rawSendRecords: positiveInt(values['raw-send-records'], '--raw-send-records', 2000),
    rawConcurrency: positiveInt(values['raw-concurrency'], '--raw-concurrency', partitions),
    commitIntervalMs: positiveInt(values['commit-interval'], '--commit-interval', 200),
    fetchPartitionBytes: optionalInt(values['fetch-partition-bytes'], '--fetch-partition-bytes'),
    phases: subsetOf(values.phases, PIPELINE_PHASES, 'phase'),
    warmup: values['no-warmup'] !== true,
    topic: values.topic,
    out: values.out,
    ...runOptions(values, 300),
  };
}
