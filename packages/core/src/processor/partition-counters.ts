import type { KafkaMessage } from '../kafka/message.js';
import type { BatchState } from './batch-state.js';

/** What an error policy did with a failed record, counted in stats. */
export type PolicyOutcome = 'retried' | 'skipped' | 'deadLettered';

/** Per-partition counters for stats. */
export interface PartitionCounters extends Record<PolicyOutcome, number> {
  input: Map<string, { count: number; bytes: number; lastOffset: number }>;
  output: Map<string, { count: number; bytes: number }>;
  /** Callbacks (and input decodes) that threw. */
  callbackErrors: number;
}

export function newPartitionCounters(): PartitionCounters {
  return { input: new Map(), output: new Map(), callbackErrors: 0, retried: 0, skipped: 0, deadLettered: 0 };
}

/** Counts a message consumed from `topic`. */
export function countInput(counters: PartitionCounters, topic: string, message: KafkaMessage): void {
  let stats = counters.input.get(topic);
  if (stats === undefined) counters.input.set(topic, (stats = { count: 0, bytes: 0, lastOffset: -1 }));
  stats.count += 1;
  stats.bytes += message.value?.length ?? 0;
  stats.lastOffset = message.offset;
}

/** Counts the records of `batch` that Kafka acknowledged. */
export function countOutput(counters: PartitionCounters, batch: BatchState): void {
  const { records } = batch;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as (typeof records)[number];
    let stats = counters.output.get(record.topic);
    if (stats === undefined) counters.output.set(record.topic, (stats = { count: 0, bytes: 0 }));
    stats.count += 1;
    stats.bytes += record.value?.length ?? 0;
  }
}
