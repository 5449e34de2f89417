import type { GokaLogger } from '@goka/core';
import type { KafkaBrokerOptions } from '@goka/core/kafka';

/**
 * Settings of the kafkajs adapter: the broker list plus kafkajs client options passed through. The
 * fields are core's `KafkaBrokerOptions` (documented there), which components given `brokers` pass on
 * when they create this adapter themselves.
 */
export interface KafkajsAdapterOptions extends KafkaBrokerOptions {
  /** Bootstrap brokers, e.g. `['127.0.0.1:9092']`. */
  readonly brokers: readonly string[];
  /** Where kafkajs' own log lines go (bridged). @default streamLogger('warn') */
  readonly logger?: GokaLogger;
}
