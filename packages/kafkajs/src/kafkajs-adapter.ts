import kafkajs from 'kafkajs';
import type { ISocketFactory, Kafka, KafkaConfig } from 'kafkajs';
import { GokaError, silentLogger, streamLogger } from '@goka/core';
import type { GokaLogger } from '@goka/core';
import { checkBrokers, DEFAULT_COMPRESSION } from '@goka/core/kafka';
import type { ClientOptions, CompressionType, ConsumerGroupOptions, KafkaAdapter, ProducerOptions, ReaderOptions, TransactionalProducerOptions } from '@goka/core/kafka';
import { requireCompression } from './compression/batch-compression.js';
import { KafkajsConsumerGroup } from './group/kafkajs-consumer-group.js';
import { KafkajsAdmin } from './admin/kafkajs-admin.js';
import { registerSnappyCodec } from './compression/kafkajs-compression.js';
import { createRawCluster } from './kafkajs-internals.js';
import type { RawCluster } from './kafkajs-internals.js';
import { kafkajsLogCreator } from './kafkajs-logger.js';
import type { KafkajsAdapterOptions } from './kafkajs-options.js';
import { KafkajsProducer } from './producer/kafkajs-producer.js';
import { KafkajsReader } from './reader/kafkajs-reader.js';
import { stopIdleRequestQueueTimers } from './kafkajs-request-queue.js';
import { connectSecurity } from './kafkajs-security-errors.js';
import { leakFreeSocketFactory } from './kafkajs-socket.js';
import { KafkajsTransactionalProducer } from './transaction/kafkajs-transactional-producer.js';

// Goka writes Snappy-compressed batches by default: every kafkajs client of the process reads them.
registerSnappyCodec();
// An idle kafkajs connection otherwise spins a 1 ms timer (kafkajs-request-queue.ts).
stopIdleRequestQueueTimers();

/** Default of {@link KafkajsAdapterOptions.fetchMaxBytes}: 512 KiB for each of 8 partitions. */
const DEFAULT_FETCH_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Default of {@link KafkajsAdapterOptions.fetchMaxBytesPerPartition}: 256 KiB. Against 1 MiB, on the count
 * pipeline (1M × 100 B, 8 partitions, one broker, alternating runs) it ran at 82k/91k vs 78k/86k msgs/s
 * with a peak RSS of 429/426 vs 555/517 MiB, and a cold recovery of 1M keys peaked at 421/399 vs 436/456 MiB:
 * smaller batches are processed and released sooner, so fewer decoded records are alive at once.
 */
const DEFAULT_FETCH_MAX_BYTES_PER_PARTITION = 256 * 1024;

/** kafkajs' INFO level: its own lines go through our logger, which filters further. */
const KAFKAJS_INFO = 4;

/**
 * The Kafka adapter for Apache Kafka, on kafkajs: the only code of the project that imports kafkajs.
 * Producers never use kafkajs' partitioners (records carry Goka's partition); readers fetch
 * partitions directly without consumer groups.
 */
export class KafkajsAdapter implements KafkaAdapter {
  readonly name = 'kafkajs';
  private readonly logger: GokaLogger;
  private readonly kafkas = new Map<string, Kafka>();
  private readonly socketFactory: ISocketFactory;

  constructor(private readonly options: KafkajsAdapterOptions) {
    checkBrokers(options.brokers, 'KafkajsAdapter', false);
    if (options.acks !== undefined && options.acks !== -1 && options.acks !== 1) {
      throw new GokaError('GOKA_KAFKA_ADAPTER_OPTIONS', `the kafkajs adapter's acks must be -1 (all in-sync replicas) or 1 (the leader), got ${String(options.acks)}`);
    }
    if (options.acks === 1 && options.idempotent === true) {
      throw new GokaError('GOKA_KAFKA_ADAPTER_OPTIONS', 'the kafkajs adapter cannot be idempotent with acks 1: an idempotent producer needs acks -1 (as the Java client)');
    }
    this.logger = options.logger ?? streamLogger('warn');
    this.socketFactory = leakFreeSocketFactory(options.socketFactory);
  }

  /** Bootstrap brokers of the cluster. */
  get brokers(): readonly string[] {
    return this.options.brokers;
  }

  /** @throws CompressionUnavailableError when this runtime cannot compress with `options.compression`. */
  createProducer(options: ProducerOptions = {}): KafkajsProducer {
    const { cluster, compression, sending } = this.producerBase(options);
    const acks = this.options.acks ?? -1;
    return new KafkajsProducer(cluster, { ...sending, acks, idempotent: this.options.idempotent ?? acks === -1, compression });
  }

  /**
   * A transactional producer (see {@link KafkajsTransactionalProducer}); like {@link createProducer}
   * it retries failed partitions itself, with acks -1.
   * @throws CompressionUnavailableError when this runtime cannot compress with `options.compression`.
   */
  createTransactionalProducer(options: TransactionalProducerOptions): KafkajsTransactionalProducer {
    const { cluster, compression, sending } = this.producerBase(options);
    return new KafkajsTransactionalProducer(cluster, {
      ...sending,
      transactionalId: options.transactionalId,
      transactionTimeoutMs: options.transactionTimeoutMs ?? 10_000,
      compression,
      coordinatorTimeoutMs: sending.timeoutMs,
    });
  }

  /**
   * What both producers share: the compression (checked), a cluster without kafkajs' own retries (the
   * producers retry failed partitions themselves; the cluster's retrier would resend a whole request,
   * partitions the broker already acknowledged included) and the retry settings they use instead.
   */
  private producerBase(options: ProducerOptions): {
    cluster: RawCluster;
    compression: CompressionType;
    sending: { timeoutMs: number; retries: number; initialRetryMs: number; maxRetryMs: number };
  } {
    const compression = options.compression ?? DEFAULT_COMPRESSION;
    requireCompression(compression);
    const cluster = createRawCluster({
      ...this.config(options.clientId),
      retry: { ...this.options.retry, retries: 0 },
      logCreator: kafkajsLogCreator(this.logger),
    });
    const retry = this.options.retry ?? {};
    const sending = {
      timeoutMs: this.options.requestTimeout ?? 30_000,
      retries: retry.retries ?? 5,
      initialRetryMs: retry.initialRetryTime ?? 300,
      maxRetryMs: retry.maxRetryTime ?? 30_000,
    };
    return { cluster, compression, sending };
  }

  createAdmin(options: ClientOptions = {}): KafkajsAdmin {
    const config = this.config(options.clientId);
    // The first connect tries each bootstrap broker once per round, for up to connectionTimeout.
    const probe = (): RawCluster =>
      createRawCluster({
        ...config,
        retry: { retries: this.options.brokers.length - 1, initialRetryTime: 100, maxRetryTime: 1000 },
        logCreator: kafkajsLogCreator(silentLogger),
      });
    return new KafkajsAdmin(this.kafka(options.clientId).admin(), {
      brokers: this.options.brokers,
      clientId: config.clientId ?? 'goka',
      timeoutMs: config.connectionTimeout ?? 3000,
      probe,
      security: connectSecurity(this.options.ssl, this.options.sasl),
    }, () => createRawCluster({ ...config, logCreator: kafkajsLogCreator(this.logger) }));
  }

  createReader(options: ReaderOptions = {}): KafkajsReader {
    // The reader retries by itself (with backoff, up to readerRetryTimeoutMs, abortable): kafkajs' own
    // retries inside a fetch round would stall every partition and delay disconnect for many seconds.
    const cluster = createRawCluster({
      ...this.config(options.clientId),
      retry: { retries: 0 },
      logCreator: kafkajsLogCreator(this.logger),
      isolationLevel: options.isolationLevel === 'read_committed' ? 1 : 0,
    });
    return new KafkajsReader(cluster, {
      ...(options.isolationLevel === undefined ? {} : { isolationLevel: options.isolationLevel }),
      maxWaitMs: this.options.fetchMaxWaitMs ?? 500,
      maxBytesPerPartition: this.options.fetchMaxBytesPerPartition ?? DEFAULT_FETCH_MAX_BYTES_PER_PARTITION,
      maxBytes: this.options.fetchMaxBytes ?? DEFAULT_FETCH_MAX_BYTES,
      retryTimeoutMs: this.options.readerRetryTimeoutMs ?? 30_000,
      logger: this.logger,
    });
  }

  createConsumerGroup(options: ConsumerGroupOptions): KafkajsConsumerGroup {
    return new KafkajsConsumerGroup(options, {
      client: this.config(options.clientId),
      createReader: () => this.createReader(options),
      logger: this.logger,
    });
  }

  private kafka(clientId: string | undefined): Kafka {
    const id = clientId ?? this.options.clientId ?? 'goka';
    let kafka = this.kafkas.get(id);
    if (kafka === undefined) {
      kafka = new kafkajs.Kafka({ ...this.config(id), logCreator: kafkajsLogCreator(this.logger) });
      this.kafkas.set(id, kafka);
    }
    return kafka;
  }

  private config(clientId: string | undefined): KafkaConfig {
    const { brokers, ssl, sasl, connectionTimeout, requestTimeout, retry } = this.options;
    return {
      brokers: [...brokers],
      clientId: clientId ?? this.options.clientId ?? 'goka',
      connectionTimeout: connectionTimeout ?? 3000,
      requestTimeout: requestTimeout ?? 30_000,
      logLevel: KAFKAJS_INFO,
      socketFactory: this.socketFactory,
      ...(ssl === undefined ? {} : { ssl }),
      ...(sasl === undefined ? {} : { sasl }),
      ...(retry === undefined ? {} : { retry }),
    };
  }
}
