import type { Codec } from '../codec/codec.js';
import { CodecError } from '../errors/codec-error.js';
import { GokaError } from '../errors/goka-error.js';
import { EmitterClosedError, EmitterKeyError } from '../errors/emitter-error.js';
import { bindCodec } from '../graph/bind-codecs.js';
import type { ProducedOffset } from '../kafka/message.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { adapterOf } from '../kafka/connection.js';
import { isRetriableProduceError } from '../kafka/retriable-produce-error.js';
import { sleep } from '../util/sleep.js';
import { resolveEmitterOptions } from './emitter-options.js';
import { EmitterTransactions } from './emitter-transactions.js';
import type { TransactionRecord } from './emitter-transactions.js';
import type { EmitOptions, EmitterOptions, ResolvedEmitterOptions } from './emitter-options.js';
import type { EmitterStats, EmitterTransaction } from './emitter-types.js';
import { LingerTimer } from './linger-timer.js';
import { mergeHeaders } from './merge-headers.js';
import { PendingRecord } from './pending-record.js';
import { RecordQueue } from './record-queue.js';
import { sendBatch } from './send-batch.js';
import { expireRecords, rejectFailedRecords } from './send-failures.js';
import { SendRetry } from './send-retry.js';
import { fetchPartitionCount } from './topic-partitions.js';
import { topicSpec } from '../topic/topic-creation.js';
import type { Span, Tracer } from '@opentelemetry/api';
import { activeTracer } from '../tracing/otel-api.js';
import { startSend, traceCommit, traceDelivery } from '../tracing/send-span.js';

export type { EmitterStats, EmitterTransaction } from './emitter-types.js';

/** A connected producer and the partition count of the emitter's topic. */
interface EmitterLink {
  readonly producer: KafkaProducer;
  readonly partitionCount: number;
}

/**
 * Writes messages to one topic (Goka's `Emitter`): values are encoded with the codec, keys are
 * placed with Goka's partitioner (FNV-1a unless `hasher` is given), and `null` values are tombstones.
 *
 * Emits are batched: records emitted within `lingerMs` (by default, within one turn of the event
 * loop) go to Kafka in one send, and each emit's promise resolves with the record's offset once the
 * broker acknowledged it. At most one send is in flight; records emitted meanwhile go out right
 * after it, so records of one key are written in emit order.
 *
 * Outages are ridden out (the Java producer's `delivery.timeout.ms`): a send that fails with a
 * retriable error (connection lost, broker restarting, leader moving) is sent again after a backoff
 * — before any later record, so the order per partition holds, and without the records the broker
 * already acknowledged — until the record's `deliveryTimeoutMs` passed since its emit; then the emit
 * rejects with a `DeliveryTimeoutError`. Meanwhile the buffer is bounded (`maxBufferedRecords`,
 * `maxBufferedBytes`): when it is full, new emits wait outside it and their promises stay pending.
 *
 * The emitter connects on its first emit, or earlier through {@link Emitter.start} (which fails fast
 * when the topic is missing). Emitters create their topic only when `createTopic` asks for it. Call {@link Emitter.finish} before the
 * process ends: it sends what is buffered and closes the producer (Goka issue #192).
 *
 * @example
 * const emitter = new Emitter('clicks', codecs.int64, { kafka });
 * await emitter.emit('user-1', 1);
 * await emitter.finish();
 * @publicApi
 */
export class Emitter<V> {
  /** The topic the emitter writes to. */
  readonly topic: string;
  private readonly settings: ResolvedEmitterOptions;
  /** Buffered records waiting for a send (or to be sent again), in emit order. */
  private readonly queue = new RecordQueue();
  /** Emitted records waiting for buffer space, in emit order; all newer than the buffered ones. */
  private readonly waiting = new RecordQueue();
  private inFlightRecords = 0;
  private inFlightBytes = 0;
  private readonly timer: LingerTimer;
  private readonly retry: SendRetry;
  /** The wait before the next attempt after a retriable failure; `undefined` otherwise. Never rejects. */
  private backoff: Promise<void> | undefined;
  private producer: KafkaProducer | undefined;
  private link: EmitterLink | undefined;
  private connecting: Promise<EmitterLink> | undefined;
  /** The running connect-and-send step; `undefined` when idle. It never rejects. */
  private busy: Promise<void> | undefined;
  private closed = false;
  private finishing: Promise<void> | undefined;
  /** The producer of {@link transaction}, created at the first one. */
  private transactions: EmitterTransactions | undefined;
  /** Set while tracing is on (checked at construction and at each send, not per emit). */
  private tracer: Tracer | undefined;
  /** The codec to encode with: the given one, or what its `bind` resolved to. */
  private codec: Codec<V>;
  /** Whether the codec still has to be bound (`Codec.bind`) before the first encode; `binding` while it is. */
  private unbound: boolean;
  private binding: Promise<void> | undefined;

  /**
   * @param topic the topic to write to; it must exist (the emitter does not create it).
   * @param codec encodes values to record bytes.
   * @throws EmitterOptionsError when the topic, codec or an option is unusable.
   */
  constructor(
    topic: string,
    codec: Codec<V>,
    options: EmitterOptions,
  ) {
    this.settings = resolveEmitterOptions(topic, codec, options);
    this.codec = codec;
    this.unbound = typeof codec.bind === 'function';
    this.topic = topic;
    this.timer = new LingerTimer(this.settings.lingerMs, () => this.pump());
    this.retry = new SendRetry(topic, this.settings, this.settings.logger);
    this.tracer = activeTracer(this.settings.tracing);
  }

  /**
   * Emits `value` under `key` (Goka's `Emit` / `EmitWithHeaders`) and resolves with where the record
   * was written once Kafka acknowledged it. `null` writes a tombstone (not encoded); `headers` are
   * merged over the default headers. The record is sent with the other records of its linger window.
   *
   * Rejects — and nothing is sent — with a {@link CodecError} naming topic and key when the value
   * cannot be encoded, with an `EmitterKeyError` for a non-string key, and with an
   * `EmitterClosedError` after {@link Emitter.finish}. Sends that fail with a retriable error are
   * retried; rejects with a `DeliveryTimeoutError` when Kafka did not acknowledge the record within
   * `deliveryTimeoutMs` of this call. Rejects at once with the producer's error (a
   * `ProduceFailedError` naming the record, e.g. one over the broker's size limit) for a
   * non-retriable failure, and with `TopicNotFoundError` when the topic is missing.
   *
   * When the buffer is full (`maxBufferedRecords` / `maxBufferedBytes`) the record waits outside it
   * and the returned promise stays pending until there is room and the record was acknowledged:
   * awaiting the emits (or a window of them) is the backpressure. `emit` itself never blocks.
   */
  emit(key: string, value: V | null, options?: EmitOptions): Promise<ProducedOffset> {
    if (this.unbound) return this.afterBind(key, value, options, false);
    const promise = this.enqueue(key, value, options);
    this.schedule();
    return promise;
  }

  /** Sends now when a batch is full, else within the linger window. */
  private schedule(): void {
    if (this.busy === undefined && this.backoff === undefined && this.queue.length > 0) {
      if (this.queue.isFull(this.settings.maxBatchRecords, this.settings.maxBatchBytes)) this.pump();
      else this.timer.schedule();
    }
  }

  /**
   * Like {@link Emitter.emit}, but sends at once instead of waiting for the linger window (Goka's
   * `EmitSync`): records buffered before it go along, and if a send is in flight the record goes out
   * right after it. Resolves once Kafka acknowledged the record. Awaiting each `emitSync` in a loop is
   * slow; prefer `emit` and awaiting the promises together.
   */
  emitSync(key: string, value: V | null, options?: EmitOptions): Promise<ProducedOffset> {
    if (this.unbound) return this.afterBind(key, value, options, true);
    const promise = this.enqueue(key, value, options);
    this.pump();
    return promise;
  }

  /**
   * Writes every record `fn` emits through `tx` in one Kafka transaction: all of them or none
   * (`read_committed` readers — exactly-once processors, views by default — see them together, once
   * committed). `tx.emit` encodes at once (a value that does not encode throws there) and sends
   * nothing; when `fn` returns (or its promise resolves) the records are produced and committed, and
   * the transaction resolves with `fn`'s result. If `fn` throws or rejects, nothing is sent. A failure
   * that may pass (the broker restarting) aborts the transaction and sends it again in a new one until
   * `deliveryTimeoutMs`; then, or at once for other errors, it rejects with the error and nothing of it
   * is visible. Transactions of one emitter run one after another, beside its plain emits (which are
   * not part of them).
   *
   * @example
   * await emitter.transaction((tx) => {
   *   tx.emit('alice', debit);
   *   tx.emit('bob', credit);
   * });
   */
  async transaction<T>(fn: (tx: EmitterTransaction<V>) => T | Promise<T>): Promise<T> {
    if (this.closed) throw new EmitterClosedError(this.topic);
    if (this.unbound) await this.bind();
    const records: TransactionRecord[] = [];
    const spans: Span[] = [];
    let open = true;
    const tx: EmitterTransaction<V> = {
      emit: (key, value, options) => {
        if (!open) throw new GokaError('GOKA_TRANSACTION_STATE', `emitter for topic "${this.topic}": emit after the transaction ended`);
        if (typeof key !== 'string') throw new EmitterKeyError(this.topic, key);
        let bytes: Buffer | null = null;
        if (value !== null) {
          try {
            bytes = this.codec.encode(value);
          } catch (error) {
            throw CodecError.wrap(error, { operation: 'encode', codec: this.codec.name, topic: this.topic, key });
          }
        }
        const headers = mergeHeaders(this.settings.defaultHeaders, options?.headers);
        const traced = this.tracer === undefined ? undefined : startSend(this.tracer, 'send', this.topic, key, bytes === null, headers);
        if (traced !== undefined) spans.push(traced.span);
        records.push({ key, value: bytes, headers: traced === undefined ? headers : traced.headers });
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } finally {
      open = false;
    }
    this.transactions ??= new EmitterTransactions(this.topic, this.settings);
    const commit = this.transactions.commit(records);
    await (spans.length === 0 ? commit : traceCommit(spans, commit));
    return result;
  }

  /**
   * Connects the producer and learns the topic's partition count. Optional: the first emit does it.
   * Resolves at once when already connected; after a failure, the next call (or emit) tries again.
   *
   * @throws TopicNotFoundError when the topic does not exist.
   * @throws EmitterClosedError after {@link Emitter.finish}.
   */
  async start(): Promise<void> {
    if (this.closed) throw new EmitterClosedError(this.topic);
    if (this.unbound) await this.bind();
    await this.connect();
  }

  /**
   * Stops accepting emits (later ones reject with `EmitterClosedError`), sends every buffered and
   * waiting record, waits for every send in flight, and disconnects the producer (Goka's `Finish`).
   * During an outage it keeps retrying, so it can take up to `deliveryTimeoutMs` (plus one send
   * attempt): records still not acknowledged then reject their emits with `DeliveryTimeoutError`.
   * Failed records reject their emits, not `finish`; `finish` rejects only when disconnecting fails.
   * Idempotent: every call returns the same promise.
   */
  finish(): Promise<void> {
    this.finishing ??= this.close();
    return this.finishing;
  }

  /** The buffer's fill and whether the emitter is retrying. */
  stats(): EmitterStats {
    return {
      bufferedRecords: this.queue.length + this.inFlightRecords,
      bufferedBytes: this.queue.bytes + this.inFlightBytes,
      waitingEmits: this.waiting.length,
      retrying: this.retry.failing,
    };
  }

  /**
   * An emit before the codec is bound: encoded once it is, in emit order (reactions to one promise
   * run in order). Emitted before `finish`, it is sent even when `finish` was called meanwhile.
   */
  private afterBind(key: string, value: V | null, options: EmitOptions | undefined, sync: boolean): Promise<ProducedOffset> {
    if (this.closed) return Promise.reject(new EmitterClosedError(this.topic));
    return this.bind().then(() => {
      const promise = this.enqueue(key, value, options, true);
      if (sync) this.pump();
      else this.schedule();
      return promise;
    });
  }

  /** Binds the codec to the topic once (`Codec.bind`); a failure rejects, and the next call tries again. */
  private bind(): Promise<void> {
    if (!this.unbound) return Promise.resolve();
    this.binding ??= bindCodec(this.codec, { topic: this.topic, codecServices: this.settings.codecServices }).then(
      (codec) => {
        this.codec = codec;
        this.unbound = false;
        this.binding = undefined;
      },
      (error: unknown) => {
        this.binding = undefined;
        throw error;
      },
    );
    return this.binding;
  }

  private enqueue(key: string, value: V | null, options: EmitOptions | undefined, admitted = false): Promise<ProducedOffset> {
    if (this.closed && !admitted) return Promise.reject(new EmitterClosedError(this.topic));
    if (typeof key !== 'string') return Promise.reject(new EmitterKeyError(this.topic, key));
    let bytes: Buffer | null = null;
    if (value !== null) {
      try {
        bytes = this.codec.encode(value);
      } catch (error) {
        return Promise.reject(
          CodecError.wrap(error, { operation: 'encode', codec: this.codec.name, topic: this.topic, key }),
        );
      }
    }
    const headers = mergeHeaders(this.settings.defaultHeaders, options?.headers);
    const traced = this.tracer === undefined ? undefined : startSend(this.tracer, 'send', this.topic, key, bytes === null, headers);
    const record = new PendingRecord(this.topic, key, Buffer.from(key, 'utf8'), bytes, traced === undefined ? headers : traced.headers);
    const promise = new Promise<ProducedOffset>((resolve, reject) => {
      record.resolve = resolve;
      record.reject = reject;
    });
    if (traced !== undefined) traceDelivery(record, traced.span);
    if (this.waiting.length > 0 || !this.fits(record.size)) this.waiting.push(record);
    else this.queue.push(record);
    return promise;
  }

  /** Whether a record of `size` bytes fits into the buffer (an empty buffer takes any record). */
  private fits(size: number): boolean {
    const records = this.queue.length + this.inFlightRecords;
    if (records === 0) return true;
    const { maxBufferedRecords, maxBufferedBytes } = this.settings;
    return records < maxBufferedRecords && this.queue.bytes + this.inFlightBytes + size <= maxBufferedBytes;
  }

  /** Moves waiting records into the buffer, in order, as far as there is room. */
  private admitWaiting(): void {
    const first = this.waiting.first();
    if (first === undefined || !this.fits(first.size)) return;
    const { maxBufferedRecords, maxBufferedBytes } = this.settings;
    const freeRecords = maxBufferedRecords - this.queue.length - this.inFlightRecords;
    const freeBytes = maxBufferedBytes - this.queue.bytes - this.inFlightBytes;
    for (const record of this.waiting.take(Math.max(1, freeRecords), Math.max(0, freeBytes))) this.queue.push(record);
  }

  /** Rejects the records (not in flight) whose delivery timeout passed, oldest first. */
  private expire(): void {
    expireRecords(this.topic, [this.queue, this.waiting], this.settings.deliveryTimeoutMs, this.retry.lastError);
  }

  /** Starts the next connect-and-send step unless one runs, a retry waits, or nothing is queued. */
  private pump(): void {
    if (this.busy !== undefined || this.backoff !== undefined || this.queue.length === 0) return;
    this.timer.cancel();
    this.busy = this.sendNext().then(this.afterSend, (error: unknown) => {
      this.settings.logger.error('emitter send step failed unexpectedly', { error });
      this.afterSend();
    });
  }

  /** Records that queued up while a send was in flight go out at once, in one send. */
  private readonly afterSend = (): void => {
    this.busy = undefined;
    this.pump();
  };

  private async sendNext(): Promise<void> {
    // A tracer provider registered (or removed) since: emits from now on follow it.
    this.tracer = activeTracer(this.settings.tracing);
    let link = this.link;
    if (link === undefined) {
      try {
        link = await this.connect();
      } catch (error) {
        if (isRetriableProduceError(error)) {
          this.retryLater(error);
        } else {
          this.queue.rejectAll(error);
          this.waiting.rejectAll(error);
        }
        return;
      }
    }
    const bytesBefore = this.queue.bytes;
    const batch = this.queue.take(this.settings.maxBatchRecords, this.settings.maxBatchBytes);
    this.inFlightRecords = batch.length;
    this.inFlightBytes = bytesBefore - this.queue.bytes;
    const failure = await sendBatch(link.producer, batch, link.partitionCount, this.settings.hasher);
    this.inFlightRecords = 0;
    this.inFlightBytes = 0;
    if (failure === undefined) {
      this.retry.succeeded();
    } else if (isRetriableProduceError(failure.error)) {
      // Back in front: nothing emitted later goes out before them, so the order per partition holds.
      this.queue.putBack(failure.unsent);
      this.retryLater(failure.error);
    } else {
      this.queue.putBack(rejectFailedRecords(failure.error, failure.unsent));
    }
    this.admitWaiting();
  }

  /**
   * After a retriable failure: rejects what timed out, and schedules the next attempt after the
   * backoff (one timer for the whole buffer).
   */
  private retryLater(error: unknown): void {
    const waitMs = this.retry.failed(error, this.queue.length + this.waiting.length);
    this.expire();
    this.admitWaiting();
    if (this.queue.length === 0) return;
    this.backoff = sleep(waitMs).then(() => {
      this.backoff = undefined;
      this.expire();
      this.admitWaiting();
      this.pump();
    });
  }

  private connect(): Promise<EmitterLink> {
    if (this.link !== undefined) return Promise.resolve(this.link);
    this.connecting ??= this.openLink().then(
      (link) => {
        this.link = link;
        this.connecting = undefined;
        return link;
      },
      (error: unknown) => {
        this.connecting = undefined;
        throw error;
      },
    );
    return this.connecting;
  }

  private async openLink(): Promise<EmitterLink> {
    const { clientId, logger, compression } = this.settings;
    const source = adapterOf(this.settings.kafka);
    const kafka = source instanceof Promise ? await source : source;
    const { createTopic } = this.settings;
    // `undefined`: the emitter did not choose; the adapter's default (MemoryKafka's `createTopics`) applies.
    const create = createTopic === undefined && kafka.createTopics !== undefined ? topicSpec(kafka.createTopics, this.topic, kafka.createTopics.partitions ?? 1) : createTopic || undefined;
    const partitionCount = await fetchPartitionCount(kafka, this.topic, clientId, logger, create);
    this.producer ??= kafka.createProducer({ clientId, compression });
    await this.producer.connect();
    logger.info(`connected; the topic has ${partitionCount} partitions`);
    return { producer: this.producer, partitionCount };
  }

  private async close(): Promise<void> {
    this.closed = true;
    // Emits waiting for the codec's binding go into the buffer first.
    if (this.binding !== undefined) await this.binding.catch(() => undefined);
    for (;;) {
      this.pump();
      if (this.busy !== undefined) await this.busy;
      else if (this.backoff !== undefined) await this.backoff;
      else break;
    }
    // A start() may still be connecting without anything queued.
    if (this.connecting !== undefined) await this.connecting.catch(() => undefined);
    this.timer.cancel();
    this.link = undefined;
    await this.transactions?.close();
    if (this.producer !== undefined) await this.producer.disconnect();
    this.settings.logger.info('finished');
  }
}
