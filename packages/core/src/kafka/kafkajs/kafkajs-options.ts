import type { ConnectionOptions } from 'node:tls';
import type { ISocketFactory, RetryOptions, SASLOptions } from 'kafkajs';
import type { GokaLogger } from '../../util/logger.js';

/** Settings of the kafkajs adapter: the broker list plus kafkajs client options passed through. */
export interface KafkajsAdapterOptions {
  /** Bootstrap brokers, e.g. `['127.0.0.1:9092']`. */
  readonly brokers: readonly string[];
  /** Default client id of components that do not name one. @default 'goka' */
  readonly clientId?: string;
  /** TLS settings, passed to kafkajs. */
  readonly ssl?: ConnectionOptions | boolean;
  /** SASL settings, passed to kafkajs. */
  readonly sasl?: SASLOptions;
  /** @default 3000 */
  readonly connectionTimeout?: number;
  /** @default 30000 */
  readonly requestTimeout?: number;
  /**
   * kafkajs retry settings for the requests of producers and admins. Readers do not use them: they
   * retry by themselves, for up to {@link readerRetryTimeoutMs}.
   */
  readonly retry?: RetryOptions;
  /** Where kafkajs' own log lines go (bridged). @default streamLogger('warn') */
  readonly logger?: GokaLogger;
  /** Longest time a fetch waits at the broker for new records. @default 500 */
  readonly fetchMaxWaitMs?: number;
  /** Most bytes one fetch asks for per partition (recovery reads in chunks this large). @default 1 MiB */
  readonly fetchMaxBytesPerPartition?: number;
  /**
   * Most bytes one fetch request asks for over all the partitions a reader (a processor's consumer,
   * a view, a table recovery) reads from one broker: each partition asks for an equal share, between
   * 64 KiB and {@link fetchMaxBytesPerPartition}. This bounds memory: fetched records wait in memory
   * per partition (up to two fetches' worth, plus the batches being processed, and decoded records
   * take several times their bytes), so with many partitions the per-partition chunks shrink instead
   * of the buffered records growing. With 8 partitions the default gives each 512 KiB (a counting
   * processor's peak RSS about 340 MiB instead of about 460 MiB at 1 MiB each, at the same CPU per
   * record; a view's recovery is as fast). @default 4 MiB
   */
  readonly fetchMaxBytes?: number;
  /**
   * How long a reader keeps retrying a partition whose broker fails (with backoff from 100 ms up to 5 s,
   * refreshing metadata, so a restarted broker or a new leader is found) before its `read()` rejects with
   * a `PartitionReadError`. A view without `autoReconnect` then stops; with it, it reconnects. @default 30000
   */
  readonly readerRetryTimeoutMs?: number;
  /**
   * Which acknowledgement a produce waits for (kafkajs' `acks`): `-1` every in-sync replica (`all`),
   * `1` the partition leader only (faster; a record the leader acknowledged is lost if the leader fails
   * before a follower copied it). `0` (no acknowledgement) is not offered: emits and processors need
   * the offsets. @default -1
   */
  readonly acks?: -1 | 1;
  /**
   * Producers (emitters, processor outputs and table writes) write with a producer id and sequence
   * numbers (Kafka's idempotent producer, KIP-98, as the Java client does by default since 3.0): a
   * batch sent again after a lost acknowledgement — a dropped connection, a broker restart — is
   * written once. Costs one InitProducerId request per producer. Needs `acks` -1.
   * @default true with `acks` -1, false with `acks` 1
   */
  readonly idempotent?: boolean;
  /** kafkajs' `socketFactory`: how connections to brokers are opened (a proxy, a test fault). @default kafkajs' */
  readonly socketFactory?: ISocketFactory;
}
