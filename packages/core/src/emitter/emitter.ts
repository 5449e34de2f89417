import type { Codec } from '../codec/codec.js';
import { CodecError } from '../errors/codec-error.js';
import { EmitterClosedError, EmitterKeyError } from '../errors/emitter-error.js';
import type { ProducedOffset } from '../kafka/message.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { resolveEmitterOptions } from './emitter-options.js';
import type { EmitOptions, EmitterOptions, ResolvedEmitterOptions } from './emitter-options.js';
import { LingerTimer } from './linger-timer.js';
import { mergeHeaders } from './merge-headers.js';
import { PendingRecord } from './pending-record.js';
import { RecordQueue } from './record-queue.js';
import { sendBatch } from './send-batch.js';
import { fetchPartitionCount } from './topic-partitions.js';

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
 * The emitter connects on its first emit, or earlier through {@link Emitter.start} (which fails fast
 * when the topic is missing). Emitters never create topics. Call {@link Emitter.finish} before the
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
  private readonly queue = new RecordQueue();
  private readonly timer: LingerTimer;
  private producer: KafkaProducer | undefined;
  private link: EmitterLink | undefined;
  private connecting: Promise<EmitterLink> | undefined;
  /** The running connect-and-send step; `undefined` when idle. It never rejects. */
  private busy: Promise<void> | undefined;
  private closed = false;
  private finishing: Promise<void> | undefined;

  /**
   * @param topic the topic to write to; it must exist (the emitter does not create it).
   * @param codec encodes values to record bytes.
   * @throws EmitterOptionsError when the topic, codec or an option is unusable.
   */
  constructor(
    topic: string,
    private readonly codec: Codec<V>,
    options: EmitterOptions,
  ) {
    this.settings = resolveEmitterOptions(topic, codec, options);
    this.topic = topic;
    this.timer = new LingerTimer(this.settings.lingerMs, () => this.pump());
  }

  /**
   * Emits `value` under `key` (Goka's `Emit` / `EmitWithHeaders`) and resolves with where the record
   * was written once Kafka acknowledged it. `null` writes a tombstone (not encoded); `headers` are
   * merged over the default headers. The record is sent with the other records of its linger window.
   *
   * Rejects — and nothing is sent — with a {@link CodecError} naming topic and key when the value
   * cannot be encoded, with an `EmitterKeyError` for a non-string key, and with an
   * `EmitterClosedError` after {@link Emitter.finish}. Rejects with the producer's error (e.g.
   * `ProduceFailedError`) when the send failed, and with `TopicNotFoundError` when the topic is missing.
   */
  emit(key: string, value: V | null, options?: EmitOptions): Promise<ProducedOffset> {
    const promise = this.enqueue(key, value, options);
    if (this.busy === undefined && this.queue.length > 0) {
      if (this.queue.isFull(this.settings.maxBatchRecords, this.settings.maxBatchBytes)) this.pump();
      else this.timer.schedule();
    }
    return promise;
  }

  /**
   * Like {@link Emitter.emit}, but sends at once instead of waiting for the linger window (Goka's
   * `EmitSync`): records buffered before it go along, and if a send is in flight the record goes out
   * right after it. Resolves once Kafka acknowledged the record. Awaiting each `emitSync` in a loop is
   * slow; prefer `emit` and awaiting the promises together.
   */
  emitSync(key: string, value: V | null, options?: EmitOptions): Promise<ProducedOffset> {
    const promise = this.enqueue(key, value, options);
    this.pump();
    return promise;
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
    await this.connect();
  }

  /**
   * Stops accepting emits (later ones reject with `EmitterClosedError`), sends every buffered
   * record, waits for every send in flight, and disconnects the producer (Goka's `Finish`). Failed
   * sends reject their emits, not `finish`; `finish` rejects only when disconnecting fails.
   * Idempotent: every call returns the same promise.
   */
  finish(): Promise<void> {
    this.finishing ??= this.close();
    return this.finishing;
  }

  private enqueue(key: string, value: V | null, options: EmitOptions | undefined): Promise<ProducedOffset> {
    if (this.closed) return Promise.reject(new EmitterClosedError(this.topic));
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
    const record = new PendingRecord(this.topic, key, Buffer.from(key, 'utf8'), bytes, headers);
    const promise = new Promise<ProducedOffset>((resolve, reject) => {
      record.resolve = resolve;
      record.reject = reject;
    });
    this.queue.push(record);
    return promise;
  }

  /** Starts the next connect-and-send step unless one runs or nothing is queued. */
  private pump(): void {
    if (this.busy !== undefined || this.queue.length === 0) return;
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
    let link = this.link;
    if (link === undefined) {
      try {
        link = await this.connect();
      } catch (error) {
        this.queue.rejectAll(error);
        return;
      }
    }
    const batch = this.queue.take(this.settings.maxBatchRecords, this.settings.maxBatchBytes);
    await sendBatch(link.producer, batch, link.partitionCount, this.settings.hasher);
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
    const { kafka, clientId, logger } = this.settings;
    const partitionCount = await fetchPartitionCount(kafka, this.topic, clientId, logger);
    this.producer ??= kafka.createProducer({ clientId });
    await this.producer.connect();
    logger.info(`connected; the topic has ${partitionCount} partitions`);
    return { producer: this.producer, partitionCount };
  }

  private async close(): Promise<void> {
    this.closed = true;
    this.pump();
    while (this.busy !== undefined) await this.busy;
    // A start() may still be connecting without anything queued.
    if (this.connecting !== undefined) await this.connecting.catch(() => undefined);
    this.timer.cancel();
    this.link = undefined;
    if (this.producer !== undefined) await this.producer.disconnect();
    this.settings.logger.info('finished');
  }
}
