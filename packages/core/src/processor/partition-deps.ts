import type { Codec } from '../codec/codec.js';
import type { ProcessContext } from '../context/process-context.js';
import type { ProcessingError } from '../errors/processor-error.js';
import type { GroupGraph } from '../graph/group-graph.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { partitionFor } from '../partitioner/partitioner.js';
import type { Hasher } from '../partitioner/hasher.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { GokaLogger } from '../util/logger.js';
import type { View } from '../view/view.js';
import type { ContextHost } from '../context/message-context.js';
import type { InFlightBudget } from './in-flight-budget.js';
import type { PolicyOutcome } from './partition-counters.js';
import type { NilHandling, ProcessorOptions, ProduceRetryOptions } from './processor-options.js';
import type { ProcessorStatsCollector } from './processor-stats-collector.js';
import type { ProcessorTopics } from './processor-topics.js';
import type { TransactionCommitter } from './transaction-committer.js';

/** What a partition processor shares with its processor. */
export interface PartitionProcessorDeps {
  readonly graph: GroupGraph<ProcessContext<unknown>>;
  readonly host: Omit<ContextHost, 'partition'>;
  /**
   * Where batches are written: a producer (at-least-once: stored and released once acknowledged) or
   * the instance's transactions (exactly-once: sent inside the open transaction, stored once it committed).
   */
  readonly producer: KafkaProducer | TransactionCommitter;
  readonly nilHandling: NilHandling;
  readonly contextWrapper: (<V>(context: ProcessContext<V>) => ProcessContext<V>) | undefined;
  readonly logger: GokaLogger;
  /** Called for every callback (or input decode) that threw, for stats. */
  readonly onCallbackError?: () => void;
  /** Called for every retry, skip and dead-letter record, for stats. */
  readonly onPolicy?: (outcome: PolicyOutcome) => void;
  /** The error policy of an input or loop topic (its edge's, else the processor's). */
  readonly errorPolicy: (topic: string) => ErrorPolicy;
  /** The partition count of a dead-letter topic, which is created first if missing. */
  readonly deadLetterPartitions: (topic: string) => Promise<number>;
  /** Called once when a side effect fails after its callback returned: the processor must stop. */
  readonly onAsyncError: (error: ProcessingError) => void;
  /** How failed produces are retried. */
  readonly produceRetry: Required<ProduceRetryOptions>;
  /** The instance's bound on batches processed but not yet acknowledged and stored, over all partitions. */
  readonly budget: InFlightBudget;
  /** `false` when the processor opted out of tracing (else it traces when a tracer provider is registered). */
  readonly tracing: boolean;
}

/** What a processor hands its partition processors. */
export interface PartitionDepsSource {
  readonly graph: GroupGraph<ProcessContext<unknown>>;
  readonly options: ProcessorOptions;
  readonly logger: GokaLogger;
  readonly hasher: Hasher;
  readonly stats: ProcessorStatsCollector;
  readonly topics: ProcessorTopics;
  readonly lookups: ReadonlyMap<string, View<unknown>>;
  readonly budget: InFlightBudget;
  /** Stops the processor with `error`. */
  fail(error: unknown): void;
}

/** The dependencies of the partition processors of a generation that produce with `producer`. */
export function partitionDeps(source: PartitionDepsSource, producer: KafkaProducer | TransactionCommitter): PartitionProcessorDeps {
  const { graph, options, stats, topics, hasher } = source;
  const persist = graph.groupTable();
  const loop = graph.loopStream();
  return {
    graph,
    producer,
    nilHandling: options.nilHandling ?? 'ignore',
    contextWrapper: options.contextWrapper,
    logger: source.logger,
    onAsyncError: (error: ProcessingError) => source.fail(error),
    onCallbackError: () => {
      stats.callbackErrors += 1;
    },
    onPolicy: (outcome) => {
      stats.policy[outcome] += 1;
    },
    errorPolicy: (topic): ErrorPolicy => graph.errorPolicy(topic) ?? options.onError ?? 'fail',
    deadLetterPartitions: (topic) => topics.deadLetterPartitions(topic),
    budget: source.budget,
    tracing: options.tracing !== false,
    produceRetry: {
      timeoutMs: options.produceRetry?.timeoutMs ?? Number.POSITIVE_INFINITY,
      initialMs: options.produceRetry?.initialMs ?? 100,
      maxMs: options.produceRetry?.maxMs ?? 5_000,
    },
    host: {
      group: graph.group,
      partitionCount: topics.partitionCount,
      tableTopic: persist === undefined ? undefined : graph.tableTopic,
      tableCodec: persist?.codec as Codec<unknown> | undefined,
      loopTopic: loop === undefined ? undefined : graph.loopTopic,
      loopCodec: loop?.codec as Codec<unknown> | undefined,
      defaultHeaders: options.defaultHeaders,
      outputCodec: (topic) => (graph.isOutput(topic) ? graph.codec(topic) : undefined),
      outputPartition: (topic, key) => partitionFor(key, topics.outputPartitions.get(topic) ?? 1, hasher),
      loopPartition: (key) => partitionFor(key, topics.partitionCount, hasher),
      joinCodec: (table) => (graph.isJoined(table) ? graph.codec(table) : undefined),
      lookup: (table, key) => source.lookups.get(table)?.get(key),
    },
  };
}
