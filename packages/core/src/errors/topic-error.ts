import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** `topic "t" has partition gap: partitions [0,1,3] are not 0..n-1`. */
export function topicPartitionGap(topic: string, partitions: readonly number[]): string {
  return `topic ${quote(topic)} has a partition gap: partitions [${partitions.join(',')}] are not numbered 0..${partitions.length - 1}`;
}

/** Goka's `topics are not copartitioned! Topic 'b' does not have 4 partitions like the rest but 2`. */
export function topicsNotCopartitioned(topic: string, expected: number, actual: number, group?: string): string {
  const who = group === undefined ? '' : ` of group ${quote(group)}`;
  return (
    `topics${who} are not copartitioned! Topic ${quote(topic)} does not have ${expected} partitions like the rest ` +
    `but ${actual}. Inputs, joins, the loop and the group table must have the same number of partitions`
  );
}

/** Goka's NoCreate message. */
export function topicNotCreated(topic: string): string {
  return `topic ${quote(topic)} does not exist but the topic manager is configured with noCreate, so it will not create it`;
}

/** `processor "g": createTopics.partitions must be a positive integer, got 0`. */
export function topicCreationOption(option: string, requirement: string, value: unknown, owner?: string): string {
  let shown: string;
  try {
    shown = typeof value === 'string' ? quote(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    shown = String(value);
  }
  return `${owner === undefined ? '' : `${owner}: `}${option} must be ${requirement}, got ${shown}`;
}

/** `topic "t" has 4 partitions, but 8 were requested`. */
export function topicMismatch(topic: string, what: string, actual: string, expected: string): string {
  return `topic ${quote(topic)} has ${what} ${actual}, but ${expected} was requested`;
}

/** A topic's partitions are not numbered 0..n-1. */
export class TopicPartitionGapError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_PARTITION_GAP';

  constructor(
    readonly topic: string,
    readonly partitions: readonly number[],
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicPartitionGap(topic, partitions), options);
  }
}

/** Inputs, joins, the loop and the group table must share one partition count; `topic` does not. */
export class TopicNotCopartitionedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_NOT_COPARTITIONED';

  constructor(
    readonly topic: string,
    readonly expectedPartitions: number,
    readonly actualPartitions: number,
    readonly group?: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicsNotCopartitioned(topic, expectedPartitions, actualPartitions, group), options);
  }
}

/** The topic is missing and the topic manager may not create it (`noCreate`). */
export class TopicNotCreatedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_NOT_CREATED';

  constructor(
    readonly topic: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicNotCreated(topic), options);
  }
}

/** An existing topic differs from what was requested and the mismatch policy is `fail`. */
export class TopicMismatchError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_MISMATCH';

  constructor(
    readonly topic: string,
    readonly property: string,
    readonly actual: string,
    readonly expected: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicMismatch(topic, property, actual, expected), options);
  }
}

/** An option of topic creation (`createTopics`, `createTopic`) is unusable. */
export class TopicCreationOptionsError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_CREATION_OPTIONS';

  constructor(
    readonly option: string,
    readonly requirement: string,
    readonly value: unknown,
    /** Whose option it is (`processor "g"`, `emitter of topic "t"`), when known. */
    readonly owner?: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicCreationOption(option, requirement, value, owner), options);
  }
}
