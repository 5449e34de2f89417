import type { GokaLogger } from '../util/logger.js';
import type { KafkaBrokerOptions } from './broker-options.js';
import { checkBrokers } from './brokers.js';
import { createDefaultAdapter } from './default-adapter.js';
import type { ModuleLoader } from './default-adapter.js';
import type { KafkaAdapter } from './kafka-adapter.js';

/**
 * How a component reaches Kafka: `brokers` plus client options such as `ssl`, `sasl` and `clientId`
 * (Apache Kafka through the default adapter, `KafkajsAdapter` of `@goka/kafkajs`, which the component
 * loads when it starts) or `kafka`, an adapter instance such as `new MemoryKafka()` or
 * `new KafkajsAdapter({ brokers })` shared by several components. `kafka` wins when both are given.
 */
export interface KafkaConnectionOptions extends KafkaBrokerOptions {
  /** An adapter to use instead of connecting to `brokers`. */
  readonly kafka?: KafkaAdapter;
}

/**
 * Where a component gets its adapter: the given `kafka`, or a function that creates the default
 * adapter for `brokers` on first call (loading `@goka/kafkajs`) and returns the same one afterwards.
 */
export type KafkaSource = KafkaAdapter | (() => Promise<KafkaAdapter>);

/**
 * The {@link KafkaSource} of a component, checked now: `kafka` when given, else the default adapter
 * for `brokers`, created when first asked for (so that loading its package is asynchronous and only
 * happens for components that use it). A failed load is not kept: the next call tries again.
 * @throws KafkaBrokersError when neither `kafka` nor usable `brokers` are given
 */
export function kafkaSource(options: KafkaConnectionOptions, component: string, logger: GokaLogger, load?: ModuleLoader): KafkaSource {
  if (options.kafka !== undefined) return options.kafka;
  const { brokers: given, kafka: _kafka, ...client } = options;
  const brokers = checkBrokers(given, component);
  let adapter: Promise<KafkaAdapter> | undefined;
  return () => {
    adapter ??= createDefaultAdapter({ ...client, brokers, logger }, component, load).catch((error: unknown) => {
      adapter = undefined;
      throw error;
    });
    return adapter;
  };
}

/** The adapter of a {@link KafkaSource}, loading the default adapter when needed. */
export function adapterOf(source: KafkaSource): KafkaAdapter | Promise<KafkaAdapter> {
  return typeof source === 'function' ? source() : source;
}

/**
 * The adapter a component uses: the given `kafka`, or the default adapter (`KafkajsAdapter` of
 * `@goka/kafkajs`) for `brokers`.
 * @throws KafkaBrokersError when neither is given
 * @throws KafkaAdapterMissingError (rejects) when `brokers` needs `@goka/kafkajs` and it is not installed
 */
export async function resolveKafka(options: KafkaConnectionOptions, component: string, logger: GokaLogger): Promise<KafkaAdapter> {
  return adapterOf(kafkaSource(options, component, logger));
}
