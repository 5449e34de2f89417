import type { IsolationLevel } from '../kafka/transaction.js';
import type { Codec } from '../codec/codec.js';
import type { CodecServices } from '../codec/codec-bind-context.js';
import { ViewError } from '../errors/table-error.js';
import { quote } from '../util/quote.js';
import { viewInvalidOption } from './view.messages.js';
import { kafkaSource } from '../kafka/connection.js';
import type { KafkaConnectionOptions, KafkaSource } from '../kafka/connection.js';
import { fnv1a32 } from '../partitioner/fnv1a.js';
import type { Hasher } from '../partitioner/hasher.js';
import { memoryStorageFactory } from '../storage/memory-storage-factory.js';
import type { StorageFactory } from '../storage/storage.js';
import type { UpdateCallback } from '../table/update-callback.js';
import { DEFAULT_BACKOFF } from '../util/backoff.js';
import type { BackoffOptions } from '../util/backoff.js';
import { prefixedLogger, streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';

/**
 * Options of a `View` (Goka's `ViewOption`s): how to reach Kafka — `brokers` plus client options (the
 * default adapter, `@goka/kafkajs`, is loaded when the view runs), or `kafka`, an adapter such as
 * `new MemoryKafka()` (wins over `brokers`) — and the view's own settings.
 */
export interface ViewOptions extends KafkaConnectionOptions {
  /** Opens each partition's local store (`<table>`, partition). @default memoryStorageFactory() */
  readonly storage?: StorageFactory | undefined;
  /** @default streamLogger('warn') */
  readonly logger?: GokaLogger | undefined;
  /** Key → partition hash; must match the producers of the table. @default fnv1a32 (Goka's default) */
  readonly hasher?: Hasher | undefined;
  /** Kafka client id of the view's admin and reader. @default `goka-view-<table>` */
  readonly clientId?: string | undefined;
  /**
   * Retry Kafka errors with backoff instead of ending `run()` (Goka's `WithViewAutoReconnect`): the
   * state goes back to `connecting`, reads keep serving local data, and the partition recovers
   * again once Kafka answers. Storage, decode and update-callback errors still end `run()`, and so
   * do failures before the partitions run (connecting, listing the table's partitions).
   *
   * Off by default, as in Goka: a bare `View` has no supervisor, and `run()` rejecting is how its
   * caller learns that Kafka is unreachable or misconfigured (with retries on, a wrong broker
   * address would retry for ever in silence). `@goka/nestjs` turns it on by default, because there
   * the module supervises its views: it restarts a failed run with `backoff` and reports the view
   * (and its last error) in the health check.
   * @default false
   */
  readonly autoReconnect?: boolean | undefined;
  /** Waits between reconnects, in ms. @default { step: 10_000, max: 120_000, resetAfter: 60_000 } */
  readonly backoff?: BackoffOptions | undefined;
  /** Applies table records to the local store (Goka's `WithViewCallback`). @default put/delete, batched */
  readonly updateCallback?: UpdateCallback | undefined;
  /**
   * What the view reads of transactional writes: `read_committed` (default) never shows a value of
   * an aborted transaction or of one still open (an exactly-once processor's table is current up to
   * its last commit); `read_uncommitted` shows every record at once, as Go Goka's views do.
   * @default 'read_committed'
   */
  readonly isolationLevel?: IsolationLevel | undefined;
  /**
   * What the view's codec gets in `bind` (see `Codec.bind`), e.g. `{ schemaRegistry: client }` for
   * the unbound codecs of `@goka/schema-registry`. @default {}
   */
  readonly codecServices?: CodecServices | undefined;
}

/** {@link ViewOptions} with every default applied. */
export interface ResolvedViewOptions {
  /** The given `kafka`, or the default adapter for `brokers`, created when the view runs. */
  readonly kafka: KafkaSource;
  readonly storage: StorageFactory;
  /** The user's logger, prefixed with `[View <table>] `. */
  readonly logger: GokaLogger;
  readonly hasher: Hasher;
  readonly clientId: string;
  readonly autoReconnect: boolean;
  readonly backoff: Readonly<Required<BackoffOptions>>;
  readonly updateCallback: UpdateCallback | undefined;
  readonly isolationLevel: IsolationLevel;
  readonly codecServices: CodecServices | undefined;
}

/**
 * Checks the view's table, codec and options and fills in the defaults (the one place view
 * options are interpreted). `kafka` wins over `brokers` (see `kafkaSource`); nothing connects or loads yet.
 * @throws ViewError naming the table and the unusable option
 * @throws GokaError when neither `brokers` nor `kafka` is given
 */
export function resolveViewOptions(table: string, codec: Codec<unknown>, options: ViewOptions): ResolvedViewOptions {
  const fail = (option: string, requirement: string, value: unknown): never => {
    throw new ViewError(viewInvalidOption(String(table), option, requirement, value), String(table));
  };
  if (typeof table !== 'string' || table === '') fail('table', 'a non-empty topic name', table);
  if (typeof codec?.decode !== 'function') fail('codec', 'a codec with decode()', codec);
  if (typeof options !== 'object' || options === null) fail('options', 'an object', options);
  const { kafka } = options;
  if (kafka !== undefined && (typeof kafka?.createAdmin !== 'function' || typeof kafka.createReader !== 'function')) {
    fail('kafka', 'a Kafka adapter (e.g. new MemoryKafka())', kafka);
  }
  const optional = <T>(option: string, value: T | undefined, type: string, fallback: T): T => {
    if (value === undefined) return fallback;
    if (typeof value !== type) fail(option, `a ${type}`, value);
    return value;
  };
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  for (const [name, value] of Object.entries(backoff)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      fail(`backoff.${name}`, 'a non-negative finite number of milliseconds', value);
    }
  }
  const clientId = optional('clientId', options.clientId, 'string', `goka-view-${table}`);
  if (clientId === '') fail('clientId', 'a non-empty string', clientId);
  const logger = optional('logger', options.logger, 'object', streamLogger('warn'));
  return {
    kafka: kafkaSource(options, `View ${quote(table)}`, logger),
    storage: optional('storage', options.storage, 'function', memoryStorageFactory()),
    logger: prefixedLogger(logger, `[View ${table}] `),
    hasher: optional('hasher', options.hasher, 'function', fnv1a32),
    clientId,
    autoReconnect: optional('autoReconnect', options.autoReconnect, 'boolean', false),
    backoff,
    updateCallback: optional<UpdateCallback | undefined>('updateCallback', options.updateCallback, 'function', undefined),
    isolationLevel: isolationLevelOption(options.isolationLevel, fail),
    codecServices: optional<CodecServices | undefined>('codecServices', options.codecServices, 'object', undefined),
  };
}

function isolationLevelOption(value: unknown, fail: (option: string, requirement: string, value: unknown) => never): IsolationLevel {
  if (value === undefined) return 'read_committed';
  if (value === 'read_committed' || value === 'read_uncommitted') return value;
  return fail('isolationLevel', "'read_committed' or 'read_uncommitted'", value);
}
