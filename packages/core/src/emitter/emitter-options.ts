import type { CodecServices } from '../codec/codec-bind-context.js';
import type { Codec } from '../codec/codec.js';
import { EmitterOptionsError } from '../errors/emitter-error.js';
import { quote } from '../util/quote.js';
import { COMPRESSION_TYPES, DEFAULT_COMPRESSION, isCompressionType } from '../kafka/compression.js';
import type { CompressionType } from '../kafka/compression.js';
import { kafkaSource } from '../kafka/connection.js';
import type { KafkaConnectionOptions, KafkaSource } from '../kafka/connection.js';
import type { Headers } from '../kafka/message.js';
import { fnv1a32 } from '../partitioner/fnv1a.js';
import type { Hasher } from '../partitioner/hasher.js';
import { creationOptions, topicSpec } from '../topic/topic-creation.js';
import type { ResolvedTopicSpec, TopicCreateSpec } from '../topic/topic-creation.js';
import { prefixedLogger, streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import { compactHeaders } from './merge-headers.js';

/** Default of {@link EmitterOptions.lingerMs}: flush on the next turn of the event loop. */
export const DEFAULT_LINGER_MS = 0;
/** Default of {@link EmitterOptions.maxBatchRecords}. */
export const DEFAULT_MAX_BATCH_RECORDS = 10_000;
/** Default of {@link EmitterOptions.maxBatchBytes}: 1 MiB, the broker's default `message.max.bytes`. */
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;

/** Default of {@link EmitterOptions.deliveryTimeoutMs}: 120 s, the Java producer's `delivery.timeout.ms`. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
/** Default of {@link EmitterOptions.retryBackoffMs}: the Java producer's `retry.backoff.ms`. */
export const DEFAULT_RETRY_BACKOFF_MS = 100;
/** Default of {@link EmitterOptions.maxRetryBackoffMs}: the Java producer's `retry.backoff.max.ms`. */
export const DEFAULT_MAX_RETRY_BACKOFF_MS = 1000;
/** Default of {@link EmitterOptions.maxBufferedRecords}: ten full batches. */
export const DEFAULT_MAX_BUFFERED_RECORDS = 100_000;
/** Default of {@link EmitterOptions.maxBufferedBytes}: 32 MiB, the Java producer's `buffer.memory`. */
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * Options of `new Emitter(topic, codec, options)` (Goka's `NewEmitter` options): how to reach Kafka
 * — `brokers` plus client options (the default adapter, `@goka/kafkajs`, is loaded when the emitter
 * connects), or `kafka`, an adapter such as `new MemoryKafka()` — and
 * the emitter's own settings.
 *
 * @publicApi
 */
export interface EmitterOptions extends KafkaConnectionOptions {
  /**
   * Create the topic when it is missing, as the emitter connects (Goka's `EnsureStreamExists`,
   * opt-in): `partitions` (default 1), `replicationFactor` (default 2, lowered to the broker count)
   * and `config`. `true` is `{}`. An existing topic is used as it is.
   * @default false (a missing topic fails the emit with `TopicNotFoundError`, as in Goka)
   */
  readonly createTopic?: boolean | TopicCreateSpec;
  /** Kafka client id of the emitter's producer and admin client. @default `goka-emitter-<topic>` */
  readonly clientId?: string;
  /**
   * Hash of a key, read as a signed int32 and mapped to a partition with Goka's rule (Goka's
   * `WithEmitterHasher`). Producers and readers of a topic must agree on it.
   * @default fnv1a32 (Goka's FNV-1a 32)
   */
  readonly hasher?: Hasher;
  /**
   * Headers added to every record; headers given to an emit win over them (Goka's
   * `WithEmitterDefaultHeaders`). The object is copied at construction.
   * @default {} (no headers)
   */
  readonly defaultHeaders?: Headers;
  /** Where the emitter logs, prefixed with `[Emitter <topic>] `. @default streamLogger('warn') */
  readonly logger?: GokaLogger;
  /**
   * Trace with OpenTelemetry when the application registered a tracer provider (`@opentelemetry/api`
   * installed): each emit is a `send` span, a child of the active context, and its record carries
   * the span's `traceparent` (and `tracestate`) header. `false` opts out. @default true
   */
  readonly tracing?: boolean;
  /**
   * How long records wait for more records before they are sent together. `0` sends on the next
   * turn of the event loop, so all emits of one synchronous run (and its microtasks) go out in one
   * send. While a send is in flight, new records wait for it and go out right after it in one send.
   * @default 0
   */
  readonly lingerMs?: number;
  /** Most records in one send; reaching it sends at once, without waiting for `lingerMs`. @default 10000 */
  readonly maxBatchRecords?: number;
  /**
   * Most key and value bytes in one send (a single larger record is sent alone); reaching it sends at
   * once, without waiting for `lingerMs`.
   * @default 1048576 (1 MiB)
   */
  readonly maxBatchBytes?: number;
  /**
   * How long an emit may take, from the `emit` call until Kafka acknowledged the record (the Java
   * producer's `delivery.timeout.ms`). Sends that fail with a retriable error (connection lost, broker
   * down or restarting, leader moving, request timed out) are sent again, with backoff, until then;
   * after it the emit rejects with a `DeliveryTimeoutError` naming topic, key, how long it tried and
   * the last error. The time spent waiting for buffer space counts. A send in flight is never
   * abandoned: its records are judged when it returns, so a rejection can come up to one send attempt
   * (the kafkajs adapter's request timeout and retries) after the deadline. Non-retriable errors
   * (a missing topic, a record too large, authorization) reject at once.
   * @default 120000 (120 s)
   */
  readonly deliveryTimeoutMs?: number;
  /** Wait before the first retry of a failed send; it doubles with each failure in a row, up to `maxRetryBackoffMs`. @default 100 */
  readonly retryBackoffMs?: number;
  /** Longest wait between retries of a failed send. @default 1000 */
  readonly maxRetryBackoffMs?: number;
  /**
   * Most records buffered (waiting for a send, in flight or retried). When the buffer is full, an
   * emit's record (already encoded) waits outside it, in emit order, and its promise stays pending
   * until acknowledged records free space and it was sent: code that awaits its emits is held back
   * instead of the buffer growing without end. A single record larger than `maxBufferedBytes` enters
   * an empty buffer.
   * @default 100000
   */
  readonly maxBufferedRecords?: number;
  /** Most key and value bytes buffered; see `maxBufferedRecords`. @default 33554432 (32 MiB) */
  readonly maxBufferedBytes?: number;
  /**
   * Compression of the record batches the emitter writes (the Java producer's `compression.type`).
   * `'zstd'` needs Node 22.15 or later: before it, the first emit rejects with a
   * `CompressionUnavailableError`. @default 'none' (see the README's "Compression")
   */
  readonly compression?: CompressionType;
  /**
   * The `transactional.id` of {@link Emitter.transaction}'s producer (created at the first
   * transaction). Two running emitters must never share one; a stable name per instance lets a
   * restarted one abort its predecessor's open transaction at once.
   * @default `<clientId>-<host>-<pid>-<random>` (unique per process)
   */
  readonly transactionalId?: string;
  /** How long the broker keeps a transaction of this emitter open before aborting it. @default 10000 */
  readonly transactionTimeoutMs?: number;
  /**
   * What the emitter's codec gets in `bind` (see `Codec.bind`), e.g. `{ schemaRegistry: client }`
   * for the unbound codecs of `@goka/schema-registry`. @default {}
   */
  readonly codecServices?: CodecServices;
}

/** Per-emit options of `emit` and `emitSync`. */
export interface EmitOptions {
  /** Headers of this record, merged over the emitter's `defaultHeaders` (these win). @default {} */
  readonly headers?: Headers;
}

/** {@link EmitterOptions} validated and with every default applied. */
export interface ResolvedEmitterOptions {
  /** The given `kafka`, or the default adapter for `brokers`, created when the emitter connects. */
  readonly kafka: KafkaSource;
  readonly clientId: string;
  readonly hasher: Hasher;
  /** `undefined` when there are no default headers. */
  readonly defaultHeaders: Headers | undefined;
  readonly logger: GokaLogger;
  readonly tracing: boolean;
  readonly lingerMs: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly deliveryTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly maxRetryBackoffMs: number;
  readonly maxBufferedRecords: number;
  readonly maxBufferedBytes: number;
  readonly compression: CompressionType;
  readonly transactionalId: string | undefined;
  readonly transactionTimeoutMs: number | undefined;
  readonly codecServices: CodecServices | undefined;
  /**
   * The topic's creation when missing (`createTopic`); `false`: never created; `undefined`: not
   * chosen (the adapter's `createTopics` decides).
   */
  readonly createTopic: ResolvedTopicSpec | false | undefined;
}

/**
 * Validates the emitter's topic, codec and options and applies the defaults: the one place that
 * reads {@link EmitterOptions}. `kafka` wins over `brokers` (see `kafkaSource`); nothing connects or loads yet.
 *
 * @throws EmitterOptionsError naming the first unusable option.
 * @throws GokaError when neither `brokers` nor `kafka` is given.
 */
export function resolveEmitterOptions(
  topic: string,
  codec: Codec<unknown>,
  options: EmitterOptions,
): ResolvedEmitterOptions {
  const fail = (option: string, requirement: string, value: unknown): never => {
    throw new EmitterOptionsError(typeof topic === 'string' ? topic : String(topic), option, requirement, value);
  };
  if (typeof topic !== 'string' || topic === '') fail('topic', 'a non-empty string', topic);
  if (typeof codec?.encode !== 'function') fail('codec', 'a Codec with an encode function', codec);
  if (typeof options !== 'object' || options === null) fail('options', 'an object', options);
  const { kafka, clientId, hasher, defaultHeaders, logger } = options;
  if (kafka !== undefined && (typeof kafka?.createProducer !== 'function' || typeof kafka.createAdmin !== 'function')) {
    fail('kafka', 'a Kafka adapter (e.g. new MemoryKafka())', kafka);
  }
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    fail('clientId', 'a non-empty string', clientId);
  }
  if (hasher !== undefined && typeof hasher !== 'function') fail('hasher', 'a function', hasher);
  if (defaultHeaders !== undefined && (typeof defaultHeaders !== 'object' || defaultHeaders === null)) {
    fail('defaultHeaders', 'an object of header name to Buffer', defaultHeaders);
  }
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  if (!(Number.isFinite(lingerMs) && lingerMs >= 0)) fail('lingerMs', 'a non-negative number of milliseconds', lingerMs);
  const maxBatchRecords = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
  if (!(Number.isSafeInteger(maxBatchRecords) && maxBatchRecords >= 1)) {
    fail('maxBatchRecords', 'a positive integer', maxBatchRecords);
  }
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  if (!(Number.isSafeInteger(maxBatchBytes) && maxBatchBytes >= 1)) {
    fail('maxBatchBytes', 'a positive integer', maxBatchBytes);
  }
  const positiveInteger = (option: string, value: number): number => {
    if (!(Number.isSafeInteger(value) && value >= 1)) fail(option, 'a positive integer', value);
    return value;
  };
  const deliveryTimeoutMs = positiveInteger('deliveryTimeoutMs', options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
  const retryBackoffMs = positiveInteger('retryBackoffMs', options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS);
  const maxRetryBackoffMs = positiveInteger('maxRetryBackoffMs', options.maxRetryBackoffMs ?? Math.max(DEFAULT_MAX_RETRY_BACKOFF_MS, retryBackoffMs));
  if (maxRetryBackoffMs < retryBackoffMs) fail('maxRetryBackoffMs', `at least retryBackoffMs (${retryBackoffMs})`, maxRetryBackoffMs);
  const maxBufferedRecords = positiveInteger('maxBufferedRecords', options.maxBufferedRecords ?? DEFAULT_MAX_BUFFERED_RECORDS);
  const maxBufferedBytes = positiveInteger('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
  const compression = options.compression ?? DEFAULT_COMPRESSION;
  if (!isCompressionType(compression)) fail('compression', `one of ${COMPRESSION_TYPES.join(', ')}`, compression);
  if (options.transactionalId !== undefined && (typeof options.transactionalId !== 'string' || options.transactionalId === '')) {
    fail('transactionalId', 'a non-empty string', options.transactionalId);
  }
  const transactionTimeoutMs = options.transactionTimeoutMs === undefined ? undefined : positiveInteger('transactionTimeoutMs', options.transactionTimeoutMs);
  const baseLogger = logger ?? streamLogger('warn');
  const creation = creationOptions(options.createTopic, 'createTopic', `emitter of topic ${quote(topic)}`);
  return Object.freeze({
    kafka: kafkaSource(options, `Emitter ${quote(topic)}`, baseLogger),
    clientId: clientId ?? `goka-emitter-${topic}`,
    hasher: hasher ?? fnv1a32,
    defaultHeaders: compactHeaders(defaultHeaders === undefined ? undefined : Object.freeze({ ...defaultHeaders })),
    logger: prefixedLogger(baseLogger, `[Emitter ${topic}] `),
    tracing: options.tracing !== false,
    lingerMs,
    maxBatchRecords,
    maxBatchBytes,
    deliveryTimeoutMs,
    retryBackoffMs,
    maxRetryBackoffMs,
    maxBufferedRecords,
    maxBufferedBytes,
    compression,
    transactionalId: options.transactionalId,
    transactionTimeoutMs,
    codecServices: options.codecServices,
    createTopic: options.createTopic === undefined ? undefined : creation === undefined ? false : topicSpec(creation, topic, creation.partitions ?? 1),
  });
}
