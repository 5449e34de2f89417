import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { kafkaUnreachable, partitionNotFound, produceFailed, readFailed, topicNotFound } from './messages.js';

/** The cluster has no topic of that name (Goka: "requested topic was not found"). */
export class TopicNotFoundError extends GokaError {
  constructor(
    readonly topic: string,
    options: GokaErrorOptions = {},
  ) {
    super(topicNotFound(topic), options);
  }
}

/** The topic exists but has no partition of that number. */
export class PartitionNotFoundError extends GokaError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    options: GokaErrorOptions = {},
  ) {
    super(partitionNotFound(topic, partition), options);
  }
}

/** The broker did not acknowledge a write to a topic-partition. */
export class ProduceFailedError extends GokaError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    options: GokaErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    super(produceFailed(topic, partition, reason), options);
  }
}

/** Kafka did not answer (retriable): names the brokers and the client. */
export class KafkaConnectionError extends GokaError {
  constructor(
    readonly brokers: readonly string[],
    readonly clientId: string,
    options: GokaErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    super(kafkaUnreachable(brokers, clientId, reason), { retriable: true, ...options });
  }
}

/** Reading a partition failed for good (the reader gave up retrying). */
export class PartitionReadError extends GokaError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    options: GokaErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    super(readFailed(topic, partition, offset, reason), options);
  }
}
