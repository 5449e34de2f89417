import { GokaError } from './goka-error.js';
import type { GokaErrorOptions } from './goka-error.js';
import { quote } from '../util/quote.js';
import type { GokaErrorCode } from './error-codes.js';

/** `topic "t" was not found (requested topic was not found)`. */
export function topicNotFound(topic: string): string {
  return `topic ${quote(topic)} was not found (requested topic was not found)`;
}

/** `topic "t" has no partition 7`. */
export function partitionNotFound(topic: string, partition: number): string {
  return `topic ${quote(topic)} has no partition ${partition}`;
}

/**
 * `producing to topic "t" partition 3 failed: <reason>`; with the record that failed:
 * `producing the record with key "big" (1048600 bytes) to topic "t" partition 3 failed: <reason>`.
 */
export function produceFailed(topic: string, partition: number, reason: string, record?: { key: string; bytes: number }): string {
  const what = record === undefined ? '' : ` the record with key ${quote(record.key)} (${record.bytes} bytes)`;
  return `producing${what} to topic ${quote(topic)} partition ${partition} failed: ${reason}`;
}

/**
 * `cannot reach Kafka at 127.0.0.1:9092 (client "goka-view-t"): <reason>`, prefixed with the component
 * when known: `processor group "g" cannot reach Kafka at ...`.
 */
export function kafkaUnreachable(brokers: readonly string[], clientId: string, reason: string, component?: string): string {
  const who = component === undefined ? '' : `${component} `;
  return `${who}cannot reach Kafka at ${brokers.join(',')} (client ${quote(clientId)}): ${reason}`;
}

/** `reading topic "t" partition 3 at offset 17 failed: <reason>`. */
export function readFailed(topic: string, partition: number, offset: number, reason: string): string {
  return `reading topic ${quote(topic)} partition ${partition} at offset ${offset} failed: ${reason}`;
}

/**
 * A component was given `brokers` without `kafka`, and the default Kafka adapter's package could not be
 * loaded: `Emitter "clicks" was given \`brokers\`, which needs the package @goka/kafkajs (not installed): ...`
 */
export function kafkaAdapterMissing(component: string, packageName: string, reason: string | undefined): string {
  const why = reason === undefined ? 'not installed' : `it could not be loaded: ${reason}`;
  return (
    `${component} was given \`brokers\`, which needs the package ${packageName} (${why}); ` +
    `install it (e.g. pnpm add ${packageName}), or pass \`kafka\` (an adapter such as new KafkajsAdapter({ brokers }) or new MemoryKafka())`
  );
}

/** The cluster has no topic of that name (Goka: "requested topic was not found"). */
export class TopicNotFoundError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_TOPIC_NOT_FOUND';

  constructor(
    readonly topic: string,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, topicNotFound(topic), options);
  }
}

/** The topic exists but has no partition of that number. */
export class PartitionNotFoundError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PARTITION_NOT_FOUND';

  constructor(
    readonly topic: string,
    readonly partition: number,
    options: GokaErrorOptions = {},
  ) {
    super(new.target.code, partitionNotFound(topic, partition), options);
  }
}

/** Options of {@link ProduceFailedError}: the cause, and which record failed when the producer knows it. */
export interface ProduceFailedOptions extends GokaErrorOptions {
  /** Key (UTF-8) of the record that failed: the one that explains the error (for "too large", the largest). */
  readonly key?: string | undefined;
  /** Size of that record: key, value and header bytes. */
  readonly recordBytes?: number | undefined;
  /**
   * Per record of the failed send, in input order: its offset when the broker acknowledged it before
   * the send failed, `-1` when it was not written. `undefined` when the producer does not tell (then
   * no record may be assumed written, and every record is taken to have failed with this error).
   */
  readonly acknowledgedOffsets?: readonly number[] | undefined;
}

/**
 * The broker did not acknowledge a write to a topic-partition. When the producer knows which record
 * failed (e.g. a record over the broker's `message.max.bytes`: MESSAGE_TOO_LARGE), `key` and
 * `recordBytes` name it and the message says so; `topic` and `partition` are that record's.
 */
export class ProduceFailedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PRODUCE_FAILED';

  /** Key (UTF-8) of the record that failed, when known. */
  readonly key: string | undefined;
  /** Key, value and header bytes of the record that failed, when known. */
  readonly recordBytes: number | undefined;
  /** Offsets of the records acknowledged before the send failed (`-1`: not written); see {@link ProduceFailedOptions}. */
  readonly acknowledgedOffsets: readonly number[] | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    options: ProduceFailedOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    const { key, recordBytes, acknowledgedOffsets, ...rest } = options;
    const record = key !== undefined && recordBytes !== undefined ? { key, bytes: recordBytes } : undefined;
    super(new.target.code, produceFailed(topic, partition, reason, record), rest);
    this.key = key;
    this.recordBytes = recordBytes;
    this.acknowledgedOffsets = acknowledgedOffsets;
  }
}

/** Options of {@link KafkaConnectionError}. */
export interface KafkaConnectionErrorOptions extends GokaErrorOptions {
  /** Which component could not connect: `processor group "g"`, `view of table "t"`, `emitter for topic "t"`. */
  readonly component?: string | undefined;
}

/** Kafka did not answer (retriable): names the brokers, the client and, at start-up, the component. */
export class KafkaConnectionError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_KAFKA_CONNECTION';

  /** The component that could not connect, when known. */
  readonly component: string | undefined;

  /** `message` is for subclasses that say more precisely what failed (authentication, TLS). */
  constructor(
    readonly brokers: readonly string[],
    readonly clientId: string,
    options: KafkaConnectionErrorOptions = {},
    message?: string,
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    const { component, ...rest } = options;
    super(new.target.code, message ?? kafkaUnreachable(brokers, clientId, reason, component), { retriable: true, ...rest });
    this.component = component;
  }

  /** The same error naming `component` (the cause stays the original cause). */
  forComponent(component: string): KafkaConnectionError {
    return new KafkaConnectionError(this.brokers, this.clientId, {
      component,
      retriable: this.retriable,
      ...('cause' in this ? { cause: this.cause } : {}),
    });
  }
}

/** Reading a partition failed for good (the reader gave up retrying). */
export class PartitionReadError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PARTITION_READ';

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    options: GokaErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause ?? 'unknown');
    super(new.target.code, readFailed(topic, partition, offset, reason), options);
  }
}

/** Fields of a {@link ProducerSequenceError}. */
export interface ProducerSequenceErrorInit {
  readonly topic: string;
  readonly partition: number;
  /** What the broker said, in words. */
  readonly reason: string;
  /** Whether a newer producer with the same id fenced this one (INVALID_PRODUCER_EPOCH, PRODUCER_FENCED). */
  readonly fenced: boolean;
  /** The producer id, epoch and first sequence number of the refused batch. */
  readonly sequence?: { readonly producerId: number; readonly producerEpoch: number; readonly baseSequence: number } | undefined;
  readonly cause?: unknown;
}

/**
 * The broker refused an idempotent producer's batch for its sequence number (out of order,
 * duplicate) or because the producer was fenced. Never retried: a retry could write a record twice
 * or out of order. Names topic, partition, producer id, epoch and sequence.
 */
export class ProducerSequenceError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PRODUCER_SEQUENCE';

  readonly topic: string;
  readonly partition: number;
  readonly fenced: boolean;
  readonly producerId: number | undefined;
  readonly producerEpoch: number | undefined;
  readonly baseSequence: number | undefined;

  constructor(init: ProducerSequenceErrorInit) {
    const { sequence } = init;
    const at = sequence === undefined ? '' : ` (producer id ${sequence.producerId}, epoch ${sequence.producerEpoch}, sequence ${sequence.baseSequence})`;
    super(new.target.code, `the batch for topic "${init.topic}" partition ${init.partition}${at} was refused: ${init.reason}`, {
      cause: init.cause,
      retriable: false,
    });
    this.topic = init.topic;
    this.partition = init.partition;
    this.fenced = init.fenced;
    this.producerId = sequence?.producerId;
    this.producerEpoch = sequence?.producerEpoch;
    this.baseSequence = sequence?.baseSequence;
  }
}

/**
 * A transactional producer was fenced: a newer producer registered the same `transactional.id`
 * (a restarted instance, or the one that took over after a rebalance), so this one's transaction was
 * aborted and it may not write again. Never retried; the processor stops the partitions it owned.
 */
export class ProducerFencedError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_PRODUCER_FENCED';

  readonly transactionalId: string;

  constructor(transactionalId: string, detail: string, options: { readonly cause?: unknown } = {}) {
    super(new.target.code, `the transactional producer "${transactionalId}" was fenced: ${detail}`, { ...options, retriable: false });
    this.transactionalId = transactionalId;
  }
}

/**
 * A component was given `brokers` (and no `kafka`), but the package of the default Kafka adapter
 * (`@goka/kafkajs`, an optional peer dependency of `@goka/core`) is not installed or failed to load.
 * Not retriable: install the package, or pass `kafka`.
 */
export class KafkaAdapterMissingError extends GokaError {
  static readonly code: GokaErrorCode = 'GOKA_KAFKA_ADAPTER_MISSING';

  constructor(
    /** The component that needed it: `Processor "g"`, `View "t"`, `Emitter "t"`. */
    readonly component: string,
    /** The package that was looked for. */
    readonly packageName: string,
    options: { readonly cause?: unknown; readonly notInstalled: boolean },
  ) {
    const reason = options.notInstalled ? undefined : options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(new.target.code, kafkaAdapterMissing(component, packageName, reason), { cause: options.cause, retriable: false });
  }
}
