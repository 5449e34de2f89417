import { COMPRESSION_TYPES, Emitter, Processor, silentLogger, tableName, View } from '@goka/core';
import type { BackoffOptions, Codec, CodecServices, CompressionType, CreateTopicsOptions, GokaLogger, GroupGraph, KafkaAdapter, ProcessContext, TopicCreateSpec } from '@goka/core';
import { checkBrokers } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LoggerService } from '@nestjs/common';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_VIEW_BACKOFF, GOKA_CODEC_SERVICES, GOKA_MODULE_OPTIONS } from './goka.constants.js';
import { invalidOption } from './goka.messages.js';
import { createGokaLogger } from './goka-logger.util.js';
import { adapterOptions } from './goka-module-options.util.js';
import { resolveStorage } from './goka-storage.util.js';
import type { GokaRestartPolicy } from './goka-run.class.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type {
  GokaEmitterOptions,
  GokaInputTopicOptions,
  GokaProcessorOptions,
  GokaTopicsOptions,
  GokaViewOptions,
} from './interfaces/goka-component-options.interface.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';
import type { GroupNaming } from './group-graph.factory.js';

/** A logger that discards everything (`logger: false`). */
const silentNestLogger: LoggerService = { log: () => {}, error: () => {}, warn: () => {} };

/**
 * Creates the processors, views and emitters of `GokaModule` from its options: one Kafka adapter
 * shared by all of them (the given `kafka`, or a `KafkajsAdapter` of `@goka/kafkajs`, a dependency of
 * this package, for `brokers`), the Nest logger
 * bridged into core's, the storage of each component, and the module's defaults under each
 * component's own options. Nothing connects here; components connect when they run or emit.
 *
 * @publicApi
 */
@Injectable()
export class GokaComponentFactory {
  /** The Kafka adapter every component of the module uses. */
  readonly kafka: KafkaAdapter;
  /** Where the module logs (the user's `logger`, `new Logger('Goka')`, or silent). */
  readonly logger: LoggerService;
  /** The same, as core's logger. */
  readonly gokaLogger: GokaLogger;
  /** Table and loop suffixes of the module. */
  readonly naming: GroupNaming;
  /** How long shutdown waits for components to stop. */
  readonly shutdownTimeoutMs: number;
  /** Whether, and how long, bootstrap waits for recovery (`undefined`: it does not wait). */
  readonly waitForRecovery: { readonly timeoutMs?: number } | undefined;
  /** What every component's codecs get in `bind`: `{ schemaRegistry }` with the module's `schemaRegistry`, else `{}`. */
  readonly codecServices: CodecServices;
  readonly #options: GokaModuleOptions;

  /**
   * @throws KafkaBrokersError without `kafka` and usable `brokers`
   * @throws GokaOptionsError for other unusable options
   */
  constructor(@Inject(GOKA_MODULE_OPTIONS) options: GokaModuleOptions, @Inject(GOKA_CODEC_SERVICES) codecServices: CodecServices = {}) {
    this.#options = checkOptions(options);
    this.codecServices = codecServices;
    const { logger } = options;
    this.logger = logger === false ? silentNestLogger : (logger ?? new Logger('Goka'));
    this.gokaLogger = logger === false ? silentLogger : createGokaLogger(this.logger);
    this.kafka = options.kafka ?? this.#kafkajs(options);
    this.naming = { tableSuffix: options.tableSuffix, loopSuffix: options.loopSuffix };
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const wait = options.waitForRecovery;
    this.waitForRecovery = wait === true ? {} : wait === false || wait === undefined ? undefined : wait;
  }

  /** The table topic of `group` with the module's suffix. */
  tableTopic(group: string): string {
    return tableName(group, this.#options.tableSuffix);
  }

  /**
   * A processor of `graph`: module defaults, then the processor's own options. `inputTopics` are
   * the `@Input(topic, codec, { create })` refinements of topic provisioning.
   */
  createProcessor<V>(
    graph: GroupGraph<ProcessContext<V>>,
    options: GokaProcessorOptions = {},
    inputTopics: ReadonlyMap<string, GokaInputTopicOptions> = new Map(),
  ): Processor<V> {
    const { storage, clientId, tableSuffix: _table, loopSuffix: _loop, topics, ...own } = options;
    const { group } = graph;
    const createTopics = this.#createTopics(topics, inputTopics);
    return new Processor(graph, {
      ...this.#compression(),
      ...this.#options.processorDefaults,
      ...own,
      ...(createTopics === undefined ? {} : { createTopics }),
      kafka: this.kafka,
      logger: this.gokaLogger,
      codecServices: this.codecServices,
      clientId: clientId ?? this.#clientId('processor', group),
      storage: storage ?? resolveStorage(this.#options.storage, { kind: 'processor', group }, this.gokaLogger),
    });
  }

  /**
   * A view of `table`: Nest's view defaults (`autoReconnect: true`, `DEFAULT_VIEW_BACKOFF`), then
   * the module's `viewDefaults`, then the view's own options (`backoff` merged field by field). Not
   * running yet.
   */
  createView<V>(table: string, codec: Codec<V>, options: GokaViewOptions = {}): View<V> {
    const { storage, clientId, ...own } = options;
    return new View(table, codec, {
      ...this.#options.viewDefaults,
      ...own,
      ...this.#viewSettings(options),
      kafka: this.kafka,
      logger: this.gokaLogger,
      codecServices: this.codecServices,
      clientId: clientId ?? this.#clientId('view', table),
      storage: storage ?? resolveStorage(this.#options.storage, { kind: 'view', table }, this.gokaLogger),
    });
  }

  /**
   * How the module restarts a failed run of a view with these options: with its backoff when
   * `autoReconnect` is on (Nest's default), not at all when it is off.
   */
  viewRestartPolicy(options: GokaViewOptions = {}): GokaRestartPolicy | undefined {
    const { autoReconnect, backoff } = this.#viewSettings(options);
    return autoReconnect ? { backoff } : undefined;
  }

  /** A view's `autoReconnect` and complete `backoff`: Nest's defaults, the module's, the view's own. */
  #viewSettings(options: GokaViewOptions): { autoReconnect: boolean; backoff: Readonly<Required<BackoffOptions>> } {
    const defaults = this.#options.viewDefaults;
    return {
      autoReconnect: options.autoReconnect ?? defaults?.autoReconnect ?? true,
      backoff: { ...DEFAULT_VIEW_BACKOFF, ...defaults?.backoff, ...options.backoff },
    };
  }

  /**
   * An emitter to `topic`: module defaults, then the emitter's own options; `create` (from
   * `registerEmitter`) over the module's `topics`. Connects on first emit.
   */
  createEmitter<V>(topic: string, codec: Codec<V>, options: GokaEmitterOptions = {}, create?: boolean | TopicCreateSpec): Emitter<V> {
    const { clientId, ...own } = options;
    const createTopic = this.#createTopic(create);
    return new Emitter(topic, codec, {
      ...this.#compression(),
      ...this.#options.emitterDefaults,
      ...own,
      ...(createTopic === undefined ? {} : { createTopic }),
      kafka: this.kafka,
      logger: this.gokaLogger,
      codecServices: this.codecServices,
      clientId: clientId ?? this.#clientId('emitter', topic),
    });
  }

  /** A processor's `createTopics`: its `topics` over the module's, with the inputs' refinements. */
  #createTopics(own: GokaTopicsOptions | undefined, inputs: ReadonlyMap<string, GokaInputTopicOptions>): CreateTopicsOptions | false | undefined {
    const module = this.#options.topics;
    const create = own?.create ?? module?.create;
    // Not chosen: the adapter decides (MemoryKafka's `createTopics`, nothing on a broker).
    if (create !== true) return create;
    const perTopic = Object.fromEntries(inputs);
    return {
      ...mergeSpecs(module, own),
      ...(inputs.size === 0 ? {} : { topics: perTopic }),
    };
  }

  /** An emitter's `createTopic`: `create` over the module's `topics`. */
  #createTopic(create: boolean | TopicCreateSpec | undefined): TopicCreateSpec | false | undefined {
    const module = this.#options.topics;
    if (create === false) return false;
    if (create === undefined && module?.create !== true) return module?.create;
    return mergeSpecs(module, create === true || create === undefined ? undefined : create);
  }

  /** The module's `compression`, as a processor's or emitter's option (none when it is not set). */
  #compression(): { readonly compression?: CompressionType } {
    const { compression } = this.#options;
    return compression === undefined ? {} : { compression };
  }

  /** `<module clientId>-<kind>-<name>`, or `undefined` to keep core's default (`goka-<kind>-<name>`). */
  #clientId(kind: 'processor' | 'view' | 'emitter', name: string): string | undefined {
    const prefix = this.#options.clientId;
    return prefix === undefined ? undefined : `${prefix}-${kind}-${name}`;
  }

  /**
   * The adapter for `brokers` (checked here, once, by core's `checkBrokers`), with the options routed
   * to it (`GOKA_MODULE_OPTION_ROUTES`).
   */
  #kafkajs(options: GokaModuleOptions): KafkaAdapter {
    const { brokers, ...client } = adapterOptions(options);
    return new KafkajsAdapter({ ...client, brokers: checkBrokers(brokers, 'GokaModule'), logger: this.gokaLogger });
  }
}

/** `own` over `base` (`config` merged), without `create`. */
function mergeSpecs(base: TopicCreateSpec | undefined, own: TopicCreateSpec | undefined): TopicCreateSpec {
  const partitions = own?.partitions ?? base?.partitions;
  const replicationFactor = own?.replicationFactor ?? base?.replicationFactor;
  const config = base?.config === undefined && own?.config === undefined ? undefined : { ...base?.config, ...own?.config };
  return {
    ...(partitions === undefined ? {} : { partitions }),
    ...(replicationFactor === undefined ? {} : { replicationFactor }),
    ...(config === undefined ? {} : { config }),
  };
}

/** Checks what core does not check itself; returns the options unchanged. */
function checkOptions(options: GokaModuleOptions): GokaModuleOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'an object', options);
  const { kafka, storage, shutdownTimeoutMs, tableSuffix, loopSuffix, waitForRecovery, compression, topics } = options;
  if (topics !== undefined && (typeof topics !== 'object' || topics === null)) fail('topics', 'an object such as { create: true, partitions: 4 }', topics);
  if (topics?.create !== undefined && typeof topics.create !== 'boolean') fail('topics.create', 'a boolean', topics.create);
  if (compression !== undefined && !COMPRESSION_TYPES.includes(compression)) fail('compression', `one of ${COMPRESSION_TYPES.join(', ')}`, compression);
  // Without `kafka`, `brokers` is checked where the adapter is created (`#kafkajs`).
  if (kafka !== undefined && (typeof kafka !== 'object' || kafka === null || typeof kafka.createProducer !== 'function')) {
    fail('kafka', 'a Kafka adapter such as new MemoryKafka()', kafka);
  }
  if (storage !== undefined && typeof storage !== 'function') {
    const valid =
      typeof storage === 'object' &&
      storage !== null &&
      (('path' in storage && typeof storage.path === 'string' && storage.path !== '') ||
        ('factory' in storage && typeof storage.factory === 'function'));
    if (!valid) fail('storage', 'a StorageFactory, { path } or { factory }', storage);
  }
  if (shutdownTimeoutMs !== undefined && !(Number.isFinite(shutdownTimeoutMs) && shutdownTimeoutMs >= 0)) {
    fail('shutdownTimeoutMs', 'a non-negative number of milliseconds', shutdownTimeoutMs);
  }
  if (typeof waitForRecovery === 'object' && waitForRecovery.timeoutMs !== undefined) {
    const { timeoutMs } = waitForRecovery;
    if (!(Number.isFinite(timeoutMs) && timeoutMs >= 0)) fail('waitForRecovery.timeoutMs', 'a non-negative number', timeoutMs);
  }
  for (const [option, value] of [['tableSuffix', tableSuffix], ['loopSuffix', loopSuffix]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) fail(option, 'a non-empty string', value);
  }
  return options;
}

function fail(option: string, requirement: string, value: unknown): never {
  throw new GokaOptionsError(invalidOption(option, requirement, value));
}
