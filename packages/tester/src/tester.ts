import { MemoryKafka, partitionFor } from '@goka/core';
import type { Codec } from '@goka/core';
import { QueueTracker } from './queue-tracker.js';

/** Options of {@link createTester}. */
export interface TesterOptions {
  /** Partitions of every topic the tester creates. @default 1 */
  readonly partitions?: number;
}

/** The test harness: an in-memory Kafka that processors, views and emitters plug into. */
export interface Tester {
  /** The in-memory Kafka every component of the test shares. */
  readonly kafka: MemoryKafka;
  /** Partitions of the topics the tester creates. */
  readonly partitions: number;
  /** Creates `topic` with the tester's partition count if it does not exist yet. */
  ensureTopic(topic: string): void;
  /** Follows the records appended to `topic` from now on, decoding values with `codec`. */
  tracker<V>(topic: string, codec: Codec<V>): QueueTracker<V>;
  /** The partition Goka's partitioner gives `key` among the tester's partitions. */
  partitionOf(key: string): number;
}

/** @publicApi Creates a tester with its own in-memory Kafka. */
export function createTester(options: TesterOptions = {}): Tester {
  const kafka = new MemoryKafka();
  const partitions = options.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new RangeError(`a tester needs a whole number of partitions ≥ 1, not ${partitions}`);
  }
  const ensureTopic = (topic: string): void => {
    kafka.createTopic(topic, { partitions });
  };
  return {
    kafka,
    partitions,
    ensureTopic,
    tracker: (topic, codec) => {
      ensureTopic(topic);
      return new QueueTracker(kafka, topic, codec);
    },
    partitionOf: (key) => partitionFor(key, partitions),
  };
}
