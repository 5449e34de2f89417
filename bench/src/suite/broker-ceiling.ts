import { randomUUID } from 'node:crypto';
import { createTopic, kafkajsAdmin } from '../pipeline/phases.js';
import { consumerPerformance, producerPerformance, resolveToolsJars } from '../support/kafka-tools.js';
import type { ConsumerPerfResult, ProducerPerfResult } from '../support/kafka-tools.js';

export interface BrokerCeilingSpec {
  readonly root: string;
  readonly brokers: readonly string[];
  /** The filled input topic of the count pipeline (what ConsumerPerformance reads). */
  readonly inputTopic: string;
  readonly partitions: number;
  readonly messages: number;
  readonly valueBytes: number;
  /** How often both tools run at once; the best pair is the ceiling. */
  readonly pairs: number;
  readonly log: (line: string) => void;
}

export interface BrokerCeilingResult {
  /** kafka-tools' version (Maven Central has no 4.4.0 tools: see scripts/kafka/tools-pom.xml). */
  readonly toolsVersion: string;
  readonly producerAlone: ProducerPerfResult;
  readonly consumerAlone: ConsumerPerfResult;
  /** The best run of both tools at once: the producer into a new topic, the consumer reading the input. */
  readonly pair: { readonly producer: ProducerPerfResult; readonly consumer: ConsumerPerfResult };
  /** Every pair run's rate (`messages / slower side`), in run order. */
  readonly pairRates: readonly number[];
  /**
   * The broker's ceiling for a consume+produce pipeline: `messages / max(pair producer time, pair
   * consumer time)` of the best pair run, i.e. the rate at which this broker on this machine takes in
   * N records and hands out N records at the same time, with Kafka's own Java clients. The best run,
   * because a ceiling is what the broker did when the shared machine let it.
   */
  readonly messagesPerSecond: number;
}

/**
 * (1c) The broker's ceiling with Kafka's own perf tools on the same broker, message count, value size
 * and partition count: ProducerPerformance alone, ConsumerPerformance alone (on the pipeline's input
 * topic), then both at once, whose slower side defines the ceiling of a consume+produce pipeline.
 */
export async function brokerCeiling(spec: BrokerCeilingSpec): Promise<BrokerCeilingResult> {
  const { dir, version } = await resolveToolsJars(spec.root, spec.log);
  const suffix = randomUUID().slice(0, 8);
  const alone = `bench-perf-alone-${suffix}`;
  const paired = Array.from({ length: spec.pairs }, (_, i) => `bench-perf-pair-${suffix}-${i}`);
  const groups = [`bench-perf-alone-${suffix}`, ...paired];
  await createTopic(spec.brokers, alone, spec.partitions);
  for (const topic of paired) await createTopic(spec.brokers, topic, spec.partitions);
  const base = { toolsDir: dir, brokers: spec.brokers, cwd: spec.root };
  try {
    const producerAlone = await producerPerformance({ ...base, topic: alone, records: spec.messages, recordSize: spec.valueBytes });
    spec.log(`  ProducerPerformance alone: ${Math.round(producerAlone.recordsPerSecond)} records/s`);
    const consumerAlone = await consumerPerformance({ ...base, topic: spec.inputTopic, records: spec.messages, group: groups[0] ?? 'a' });
    spec.log(`  ConsumerPerformance alone: ${Math.round(consumerAlone.recordsPerSecond)} records/s`);
    let best: { producer: ProducerPerfResult; consumer: ConsumerPerfResult; rate: number } | undefined;
    const pairRates: number[] = [];
    for (const [i, topic] of paired.entries()) {
      const [producer, consumer] = await Promise.all([
        producerPerformance({ ...base, topic, records: spec.messages, recordSize: spec.valueBytes }),
        consumerPerformance({ ...base, topic: spec.inputTopic, records: spec.messages, group: topic }),
      ]);
      const rate = (spec.messages * 1000) / Math.max(producer.ms, consumer.ms);
      pairRates.push(rate);
      spec.log(
        `  both at once (${i + 1} of ${paired.length}): producer ${Math.round(producer.recordsPerSecond)}, consumer ${Math.round(consumer.recordsPerSecond)} ` +
          `records/s → ${Math.round(rate)} messages/s`,
      );
      if (best === undefined || rate > best.rate) best = { producer, consumer, rate };
    }
    if (best === undefined) throw new Error('no pair run');
    return { toolsVersion: version, producerAlone, consumerAlone, pair: { producer: best.producer, consumer: best.consumer }, pairRates, messagesPerSecond: best.rate };
  } finally {
    const admin = kafkajsAdmin(spec.brokers, 'bench-perf-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [alone, ...paired] }).catch(() => undefined);
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  }
}
