import { GokaError } from '../errors/goka-error.js';
import { missingConnection } from '../errors/messages.js';
import type { GokaLogger } from '../util/logger.js';
import type { KafkaAdapter } from './kafka-adapter.js';
import { KafkajsAdapter } from './kafkajs/kafkajs-adapter.js';
import type { KafkajsAdapterOptions } from './kafkajs/kafkajs-options.js';

/**
 * How a component reaches Kafka: `brokers` (Apache Kafka through kafkajs, with kafkajs client options
 * such as `ssl`, `sasl` and `clientId` passed through) or `kafka`, an adapter instance such as
 * `new MemoryKafka()` shared by several components.
 */
export interface KafkaConnectionOptions extends Partial<Omit<KafkajsAdapterOptions, 'logger'>> {
  /** An adapter to use instead of connecting to `brokers`. */
  readonly kafka?: KafkaAdapter;
}

/** The adapter a component uses: the given `kafka`, or a kafkajs adapter for `brokers`. */
export function resolveKafka(options: KafkaConnectionOptions, component: string, logger: GokaLogger): KafkaAdapter {
  if (options.kafka !== undefined) return options.kafka;
  const { brokers } = options;
  if (brokers === undefined || brokers.length === 0) throw new GokaError(missingConnection(component));
  return new KafkajsAdapter({ ...options, brokers, logger });
}
