import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { topicCreationOption, topicMismatch, topicNotCreated, topicPartitionGap, topicsNotCopartitioned } from './messages.js';

/** A topic's partitions are not numbered 0..n-1. */
export class TopicPartitionGapError extends GokaError {
  constructor(
    readonly topic: string,
    readonly partitions: readonly number[],
    options: GokaErrorOptions = {},
  ) {
    super(topicPartitionGap(topic, partitions), options);
  }
}

/** Inputs, joins, the loop and the group table must share one partition count; `topic` does not. */
export class TopicNotCopartitionedError extends GokaError {
  constructor(
    readonly topic: string,
    readonly expectedPartitions: number,
    readonly actualPartitions: number,
    readonly group?: string,
    options: GokaErrorOptions = {},
  ) {
    super(topicsNotCopartitioned(topic, expectedPartitions, actualPartitions, group), options);
  }
}

/** The topic is missing and the topic manager may not create it (`noCreate`). */
export class TopicNotCreatedError extends GokaError {
  constructor(
    readonly topic: string,
    options: GokaErrorOptions = {},
  ) {
    super(topicNotCreated(topic), options);
  }
}

/** An existing topic differs from what was requested and the mismatch policy is `fail`. */
export class TopicMismatchError extends GokaError {
  constructor(
    readonly topic: string,
    readonly property: string,
    readonly actual: string,
    readonly expected: string,
    options: GokaErrorOptions = {},
  ) {
    super(topicMismatch(topic, property, actual, expected), options);
  }
}

/** An option of topic creation (`createTopics`, `createTopic`) is unusable. */
export class TopicCreationOptionsError extends GokaError {
  constructor(
    readonly option: string,
    readonly requirement: string,
    readonly value: unknown,
    /** Whose option it is (`processor "g"`, `emitter of topic "t"`), when known. */
    readonly owner?: string,
    options: GokaErrorOptions = {},
  ) {
    super(topicCreationOption(option, requirement, value, owner), options);
  }
}
