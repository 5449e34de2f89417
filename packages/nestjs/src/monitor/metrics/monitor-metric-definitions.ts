import { VIEW_STATES } from '@goka/core';
import type { GokaStatus } from '../../interfaces/goka-status.interface.js';
import type { MonitorPartitionState } from '../interfaces/monitor-api.interface.js';
import type { ProcessorTracker } from '../trackers/processor-tracker.class.js';
import type { ViewTracker } from '../trackers/view-tracker.class.js';

/** Every monitor partition state, for the 0/1 state gauges. */
export const MONITOR_PARTITION_STATES: readonly MonitorPartitionState[] = [
  'idle',
  'connecting',
  'recovering',
  'running',
  'standby',
  'stalled',
  'stopping',
  'failed',
];

/** What a collect function reads: the latest samples and the registry's status. */
export interface MetricSource {
  readonly processors: ReadonlyMap<string, ProcessorTracker>;
  readonly views: ReadonlyMap<string, ViewTracker>;
  readonly status: GokaStatus;
}

export type MetricLabels = Record<string, string | number>;

/** One metric: its name (without prefix), kind, labels and how to read its values. */
export interface MetricDefinition {
  readonly name: string;
  readonly help: string;
  readonly kind: 'gauge' | 'counter';
  readonly labels: readonly string[];
  collect(source: MetricSource, emit: (labels: MetricLabels, value: number) => void): void;
}

const gauge = (
  name: string,
  help: string,
  labels: readonly string[],
  collect: MetricDefinition['collect'],
): MetricDefinition => ({ name, help, kind: 'gauge', labels, collect });

const counter = (
  name: string,
  help: string,
  labels: readonly string[],
  collect: MetricDefinition['collect'],
): MetricDefinition => ({ name, help, kind: 'counter', labels, collect });

/** Each processor's latest sample with its group. */
function* processorSamples(source: MetricSource): Generator<[string, NonNullable<ProcessorTracker['latest']>]> {
  for (const [group, tracker] of source.processors) if (tracker.latest !== undefined) yield [group, tracker.latest];
}

/** Each view's latest sample with its table. */
function* viewSamples(source: MetricSource): Generator<[string, NonNullable<ViewTracker['latest']>]> {
  for (const [table, tracker] of source.views) if (tracker.latest !== undefined) yield [table, tracker.latest];
}

/** The monitor's Prometheus metrics, all read from the latest samples at scrape time. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  gauge('processor_ready', 'Whether the processor has recovered and is processing (1) or not (0).', ['group'], (source, emit) => {
    for (const [group, status] of Object.entries(source.status.processors)) emit({ group }, status.phase === 'ready' ? 1 : 0);
  }),
  gauge('processor_lag', 'Messages not consumed yet, per input topic and partition.', ['group', 'topic', 'partition'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) {
      for (const partition of sample.partitions) {
        for (const input of partition.inputs) {
          if (input.lag !== undefined) emit({ group, topic: input.topic, partition: partition.partition }, input.lag);
        }
      }
    }
  }),
  counter('processor_consumed_messages_total', 'Messages consumed, per input topic.', ['group', 'topic'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) for (const topic of sample.inputs) emit({ group, topic: topic.topic }, topic.count);
  }),
  counter('processor_consumed_bytes_total', 'Value bytes consumed, per input topic.', ['group', 'topic'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) for (const topic of sample.inputs) emit({ group, topic: topic.topic }, topic.bytes);
  }),
  counter('processor_produced_messages_total', 'Messages written and acknowledged, per output topic.', ['group', 'topic'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) for (const topic of sample.outputs) emit({ group, topic: topic.topic }, topic.count);
  }),
  counter('processor_produced_bytes_total', 'Value bytes written and acknowledged, per output topic.', ['group', 'topic'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) for (const topic of sample.outputs) emit({ group, topic: topic.topic }, topic.bytes);
  }),
  counter('processor_table_writes_total', 'Group-table records written and acknowledged.', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.tableWrites);
  }),
  gauge('processor_recovery_progress', 'Progress of the group-table partition recovery, 0..1.', ['group', 'partition'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) {
      for (const partition of sample.partitions) {
        if (partition.recovery !== undefined) emit({ group, partition: partition.partition }, partition.recovery.progress);
      }
    }
  }),
  gauge('processor_recovery_records', 'Records read by the group-table partition recovery.', ['group', 'partition'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) {
      for (const partition of sample.partitions) {
        if (partition.recovery !== undefined) emit({ group, partition: partition.partition }, partition.recovery.done);
      }
    }
  }),
  gauge(
    'processor_recovery_target_records',
    'Records the group-table partition recovery reads in all (high-water mark - start offset).',
    ['group', 'partition'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        for (const partition of sample.partitions) {
          const total = partition.recovery?.total;
          if (total !== undefined) emit({ group, partition: partition.partition }, total);
        }
      }
    },
  ),
  gauge(
    'processor_partition_state',
    'Partition state: 1 for the current state, 0 for the others.',
    ['group', 'partition', 'mode', 'state'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        for (const partition of sample.partitions) {
          for (const state of MONITOR_PARTITION_STATES) {
            emit({ group, partition: partition.partition, mode: partition.mode, state }, partition.state === state ? 1 : 0);
          }
        }
      }
    },
  ),
  counter('processor_callback_errors_total', 'Callbacks (or input decodes) that threw.', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.stats.callbackErrors);
  }),
  counter(
    'processor_error_policy_records_total',
    'What the error policies did: callback runs retried, records skipped, records sent to a dead-letter topic.',
    ['group', 'outcome'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        const { retried, skipped, deadLettered } = sample.stats.errorPolicy;
        emit({ group, outcome: 'retried' }, retried);
        emit({ group, outcome: 'skipped' }, skipped);
        emit({ group, outcome: 'dead_lettered' }, deadLettered);
      }
    },
  ),
  counter('processor_commits_total', 'Offset commits Kafka accepted.', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.stats.commits.count);
  }),
  counter('processor_commit_failures_total', 'Offset commits refused or not delivered (sent again).', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.stats.commits.failed);
  }),
  // A counter's name ends in `_total` (prom-client appends it in OpenMetrics): the summed latency
  // divided by `processor_commits_total` over a range is the mean, `rate(a[5m]) / rate(b[5m])`.
  counter('processor_commit_latency_seconds_total', 'Summed round-trip time of the accepted offset commits.', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.stats.commits.totalLatencyMs / 1000);
  }),
  gauge(
    'processor_commit_latency_seconds',
    'Mean round-trip time of the offset commits accepted during the last sample (the last commit\'s when none was).',
    ['group'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        if (sample.commitLatencyMs !== undefined) emit({ group }, sample.commitLatencyMs / 1000);
      }
    },
  ),
  gauge('processor_exactly_once', 'Whether the processor runs exactly-once (1) or at-least-once (0).', ['group'], (source, emit) => {
    for (const [group, sample] of processorSamples(source)) emit({ group }, sample.stats.guarantee === 'exactly-once' ? 1 : 0);
  }),
  counter(
    'processor_transactions_total',
    'Exactly-once transactions of the processor instance, by outcome (committed or aborted).',
    ['group', 'outcome'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        const transactions = sample.stats.transactions;
        if (transactions === undefined) continue;
        emit({ group, outcome: 'committed' }, transactions.committed);
        emit({ group, outcome: 'aborted' }, transactions.aborted);
      }
    },
  ),
  counter(
    'processor_transaction_commit_seconds_total',
    'Summed time of the committed transactions (in-flight sends awaited, offsets added, EndTxn answered).',
    ['group'],
    (source, emit) => {
      for (const [group, sample] of processorSamples(source)) {
        const transactions = sample.stats.transactions;
        if (transactions !== undefined) emit({ group }, transactions.totalCommitMs / 1000);
      }
    },
  ),
  gauge('view_ready', 'Whether every partition of the view is running (1) or not (0).', ['table'], (source, emit) => {
    for (const [table, status] of Object.entries(source.status.views)) emit({ table }, status.phase === 'ready' ? 1 : 0);
  }),
  gauge('view_state', 'View state: 1 for the current state, 0 for the others.', ['table', 'state'], (source, emit) => {
    for (const [table, sample] of viewSamples(source)) {
      for (const state of VIEW_STATES) emit({ table, state }, sample.stats.state === state ? 1 : 0);
    }
  }),
  gauge('view_lag', 'Records behind the high-water mark, per partition.', ['table', 'partition'], (source, emit) => {
    for (const [table, sample] of viewSamples(source)) {
      for (const partition of sample.partitions) if (partition.lag !== undefined) emit({ table, partition: partition.partition }, partition.lag);
    }
  }),
  counter('view_records_total', 'Records applied (recovery and catch-up).', ['table'], (source, emit) => {
    for (const [table, sample] of viewSamples(source)) emit({ table }, sample.recordsTotal);
  }),
  gauge('view_recovery_progress', 'Progress of the partition recovery, 0..1.', ['table', 'partition'], (source, emit) => {
    for (const [table, sample] of viewSamples(source)) {
      for (const partition of sample.partitions) emit({ table, partition: partition.partition }, partition.recovery.progress);
    }
  }),
  gauge(
    'view_partition_state',
    'Partition state: 1 for the current state, 0 for the others.',
    ['table', 'partition', 'state'],
    (source, emit) => {
      for (const [table, sample] of viewSamples(source)) {
        for (const partition of sample.partitions) {
          for (const state of MONITOR_PARTITION_STATES) emit({ table, partition: partition.partition, state }, partition.state === state ? 1 : 0);
        }
      }
    },
  ),
];
