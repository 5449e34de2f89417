import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

/**
 * SASL settings of a connection by `brokers` (the mechanisms and fields of the `sasl` option of kafkajs,
 * which the default adapter passes on). The password is never logged nor put in an error message.
 */
export type KafkaSaslOptions =
  | { readonly mechanism: 'plain'; readonly username: string; readonly password: string }
  | { readonly mechanism: 'scram-sha-256'; readonly username: string; readonly password: string }
  | { readonly mechanism: 'scram-sha-512'; readonly username: string; readonly password: string }
  | {
      readonly mechanism: 'aws';
      readonly authorizationIdentity: string;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  | { readonly mechanism: 'oauthbearer'; readonly oauthBearerProvider: () => Promise<{ readonly value: string }> };

/** Retry settings of a producer's and an admin client's requests (the `retry` option of kafkajs). */
export interface KafkaRetryOptions {
  /** Longest wait between two retries, ms. */
  readonly maxRetryTime?: number;
  /** First wait, ms. */
  readonly initialRetryTime?: number;
  /** Randomization of each wait. */
  readonly factor?: number;
  /** Growth of the wait from one retry to the next. */
  readonly multiplier?: number;
  /** Retries before a request fails. */
  readonly retries?: number;
  readonly restartOnFailure?: (error: Error) => Promise<boolean>;
}

/** What a {@link KafkaSocketFactory} is asked to open. */
export interface KafkaSocketFactoryArgs {
  readonly host: string;
  readonly port: number;
  readonly ssl: ConnectionOptions;
  readonly onConnect: () => void;
}

/** Opens the socket of a connection to a broker (the `socketFactory` of kafkajs): a proxy, a test fault. */
export type KafkaSocketFactory = (args: KafkaSocketFactoryArgs) => Socket;

/**
 * How to reach Apache Kafka by `brokers`: the settings of the default Kafka adapter (`KafkajsAdapter`
 * of the package `@goka/kafkajs`, which a component loads when it is given `brokers` and no `kafka`),
 * in the vocabulary of kafkajs. The same fields are the options of `new KafkajsAdapter({ brokers, ... })`.
 */
export interface KafkaBrokerOptions {
  /** Bootstrap brokers, e.g. `['127.0.0.1:9092']`. */
  readonly brokers?: readonly string[];
  /** Default client id of components that do not name one. @default 'goka' */
  readonly clientId?: string;
  /** TLS settings (Node's `tls.connect` options, or `true` for the defaults). */
  readonly ssl?: ConnectionOptions | boolean;
  /** SASL settings. */
  readonly sasl?: KafkaSaslOptions;
  /** @default 3000 */
  readonly connectionTimeout?: number;
  /** @default 30000 */
  readonly requestTimeout?: number;
  /**
   * Retry settings of the requests of producers and admins. Readers do not use them: they retry by
   * themselves, for up to {@link readerRetryTimeoutMs}.
   */
  readonly retry?: KafkaRetryOptions;
  /** Longest time a fetch waits at the broker for new records. @default 500 */
  readonly fetchMaxWaitMs?: number;
  /**
   * Most bytes one fetch asks for per partition (recovery reads in chunks this large; a larger record
   * batch still comes whole). @default 256 KiB
   */
  readonly fetchMaxBytesPerPartition?: number;
  /**
   * Most bytes one fetch request asks for over all the partitions a reader (a processor's consumer,
   * a view, a table recovery) reads from one broker: each partition asks for an equal share, between
   * 64 KiB and {@link fetchMaxBytesPerPartition}; the broker answers with at most this much (a batch
   * larger than that still comes whole). This bounds memory: fetched batches wait for their
   * partitions, one each, and a second one only while those waiting weigh less than this, so many
   * partitions share the budget instead of multiplying it (decoded records take several times their
   * bytes). With 8 partitions the default gives each 512 KiB. @default 4 MiB
   */
  readonly fetchMaxBytes?: number;
  /**
   * How long a reader keeps retrying a partition whose broker fails (with backoff from 100 ms up to 5 s,
   * refreshing metadata, so a restarted broker or a new leader is found) before its `read()` rejects with
   * a `PartitionReadError`. A view without `autoReconnect` then stops; with it, it reconnects. @default 30000
   */
  readonly readerRetryTimeoutMs?: number;
  /**
   * Which acknowledgement a produce waits for (`acks` in kafkajs): `-1` every in-sync replica (`all`),
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
  /** How connections to brokers are opened (a proxy, a test fault). @default a plain or TLS socket, as kafkajs opens it */
  readonly socketFactory?: KafkaSocketFactory;
}
