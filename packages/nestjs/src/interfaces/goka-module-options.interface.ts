import type { CompressionType, KafkaConnectionOptions } from '@goka/core';
import type { LoggerService } from '@nestjs/common';
import type { GokaEmitterDefaults, GokaProcessorDefaults, GokaTopicsOptions, GokaViewDefaults } from './goka-component-options.interface.js';
import type { GokaSchemaRegistryClient, GokaSchemaRegistryOptions } from './goka-schema-registry-options.interface.js';
import type { GokaStorageOptions } from './goka-storage-options.interface.js';

/**
 * Waiting for recovery at application bootstrap (`waitForRecovery`).
 *
 * @publicApi
 */
export interface GokaWaitForRecoveryOptions {
  /**
   * Longest wait; bootstrap then fails with a `GokaNotReadyError` naming what is not ready.
   * @default no limit
   */
  readonly timeoutMs?: number;
}

/**
 * Options of `GokaModule.forRoot` / `forRootAsync`.
 *
 * How to reach Kafka: `brokers` plus kafkajs client options (`clientId`, `ssl`, `sasl`,
 * `connectionTimeout`, `requestTimeout`, `retry`, `fetchMaxWaitMs`, ...), for which the module creates
 * a `KafkajsAdapter` of `@goka/kafkajs` (a dependency of this package), or `kafka`, an adapter instance
 * such as `new MemoryKafka()` (wins over `brokers`). One adapter is shared by every processor, view
 * and emitter of the module.
 *
 * @publicApi
 */
export interface GokaModuleOptions extends KafkaConnectionOptions {
  /**
   * Where processors and views keep their local state.
   * @default memory stores (state is recovered from Kafka on every start)
   */
  readonly storage?: GokaStorageOptions;
  /**
   * Where Goka logs (the engine and the kafkajs client). `false` silences it.
   * @default `new Logger('Goka')`
   */
  readonly logger?: LoggerService | false;
  /** Suffix of the group table topics. @default '-table' (Goka's) */
  readonly tableSuffix?: string;
  /** Suffix of the group loop topics. @default '-loop' (Goka's) */
  readonly loopSuffix?: string;
  /**
   * Compression of every record batch the module's processors (outputs, loopbacks, table writes) and
   * emitters write. `processorDefaults.compression`, `emitterDefaults.compression` and a component's
   * own `compression` win over it. Reading needs no setting: every codec is read.
   * @default 'none' (core's default; see @goka/core's README, "Compression")
   */
  readonly compression?: CompressionType;
  /**
   * Topic provisioning, opt-in (Goka's `EnsureStreamExists`): `{ create: true, partitions,
   * replicationFactor, config }` creates the missing input, output and emitter topics at start.
   * `@Processor(group, { topics })`, `@Input(topic, codec, { create })` and
   * `registerEmitter({ topic, codec, create })` refine it.
   * @default { create: false } (a missing topic fails the start, as in Goka)
   */
  readonly topics?: GokaTopicsOptions;
  /** Settings of every discovered processor (a processor's own options win). @default {} */
  readonly processorDefaults?: GokaProcessorDefaults;
  /** Settings of every registered view (a view's own options win). @default {} */
  readonly viewDefaults?: GokaViewDefaults;
  /** Settings of every registered emitter (an emitter's own options win). @default {} */
  readonly emitterDefaults?: GokaEmitterDefaults;
  /**
   * Wait at application bootstrap until every processor has recovered its partitions and every
   * view is running, so the app does not serve stale state (`app.listen` waits too). A component
   * that fails first, or the timeout, fails the bootstrap.
   * @default false (start everything in the background)
   */
  readonly waitForRecovery?: boolean | GokaWaitForRecoveryOptions;
  /**
   * How long shutdown waits for processors (finishing and committing their in-flight messages),
   * views and emitters (flushing) to stop; what is still running then is logged and left behind.
   * @default 30000
   */
  readonly shutdownTimeoutMs?: number;
  /**
   * The schema registry of the module's schema codecs (`@goka/schema-registry`, an optional peer
   * dependency loaded only when this is set): its client options (`{ url, auth, timeoutMs, retries,
   * headers, fetch }`), or a client (`new SchemaRegistryClient(...)`, `new MemorySchemaRegistry().client()`).
   * Every processor, view and emitter of the module gets it as `codecServices: { schemaRegistry }`,
   * so codecs created without a registry (`avro<User>({ schema })`) bind to it and to their topic
   * when the component starts.
   * @default none (schema codecs must then be created with their `registry`)
   */
  readonly schemaRegistry?: GokaSchemaRegistryOptions | GokaSchemaRegistryClient;
}

/**
 * Extra options of `forRoot` / `forRootAsync` that shape the module itself.
 *
 * @publicApi
 */
export interface GokaModuleExtras {
  /**
   * Make `GokaRegistry`, `GokaOrchestrator`, `GokaHealthIndicator` and the module's connection visible to every module.
   * `registerView` / `registerEmitter` need it; with `false` only the importing module sees them.
   * @default true
   */
  readonly isGlobal?: boolean;
  /**
   * Discover and validate processors at startup but start nothing; call `GokaOrchestrator.start()`.
   * @default false
   */
  readonly manualRegistration?: boolean;
}
