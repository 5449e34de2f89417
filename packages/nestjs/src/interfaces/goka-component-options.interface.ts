import type { EmitterOptions, KafkaConnectionOptions, ProcessorOptions, StorageFactory, TopicCreateSpec, ViewOptions } from '@goka/core';

/** Options every component takes from the module (connection, logger, storage, codec services) instead. */
type ModuleProvided = keyof KafkaConnectionOptions | 'logger' | 'storage' | 'codecServices';

/**
 * Topic provisioning (Goka's `EnsureStreamExists`, opt-in): with `create: true`, the missing
 * input and output topics of processors and the topics of registered emitters are created at start
 * (a processor's group table and loop are created in any case). A created input takes the partition
 * count of its copartitioned siblings (the group's other inputs, joined tables, its table and loop)
 * when one exists, else `partitions`; a created output takes the group's partition count; an
 * emitter's topic takes `partitions`. Existing topics are used as they are.
 *
 * @publicApi
 */
export interface GokaTopicsOptions extends TopicCreateSpec {
  /** Create missing topics. @default false (a missing topic fails the start, as in Goka) */
  readonly create?: boolean;
}

/**
 * How `@Input(topic, codec, { create })` refines the creation of its topics: `false` never creates
 * them; an object sets their `replicationFactor` and adds `config` (the partition count follows
 * the copartitioning rule).
 *
 * @publicApi
 */
export type GokaInputTopicOptions = false | Omit<TopicCreateSpec, 'partitions'>;

/**
 * Processor settings the module applies to every discovered processor (a processor's own
 * `@Processor(group, options)` wins): `initialOffset`, `hotStandby`, `recoverAhead`, `nilHandling`,
 * `commitIntervalMs`, `contextWrapper`, `defaultHeaders`, `topicManager`, ... (see core's
 * `ProcessorOptions`).
 *
 * @publicApi
 */
export type GokaProcessorDefaults = Omit<ProcessorOptions, ModuleProvided | 'createTopics'>;

/**
 * View settings the module applies to every registered view (a view's own `options` win):
 * `autoReconnect`, `backoff`, `hasher`, `updateCallback` (see core's `ViewOptions`).
 *
 * @publicApi
 */
export type GokaViewDefaults = Omit<ViewOptions, ModuleProvided>;

/**
 * Emitter settings the module applies to every registered emitter (an emitter's own `options`
 * win): `lingerMs`, `maxBatchRecords`, `maxBatchBytes`, `defaultHeaders`, `hasher` (see core's
 * `EmitterOptions`).
 *
 * @publicApi
 */
export type GokaEmitterDefaults = Omit<EmitterOptions, ModuleProvided | 'createTopic'>;

/**
 * Options of one processor, given as `@Processor(group, options)`; they win over the module's
 * `processorDefaults`.
 *
 * @publicApi
 */
export interface GokaProcessorOptions extends GokaProcessorDefaults {
  /** Kafka client id of the processor. @default `<module clientId>-processor-<group>` or `goka-processor-<group>` */
  readonly clientId?: string;
  /** Where this processor keeps its tables, instead of the module's `storage`. */
  readonly storage?: StorageFactory;
  /** Suffix of this group's table topic. @default the module's `tableSuffix` (`-table`) */
  readonly tableSuffix?: string;
  /** Suffix of this group's loop topic. @default the module's `loopSuffix` (`-loop`) */
  readonly loopSuffix?: string;
  /**
   * Topic provisioning of this processor's inputs and outputs, over the module's `topics` (`config`
   * merged). `@Input(topic, codec, { create })` refines one input.
   * @default the module's `topics`
   */
  readonly topics?: GokaTopicsOptions;
}

/**
 * Options of one registered view; they win over the module's `viewDefaults`.
 *
 * @publicApi
 */
export interface GokaViewOptions extends GokaViewDefaults {
  /** Kafka client id of the view. @default `<module clientId>-view-<table>` or `goka-view-<table>` */
  readonly clientId?: string;
  /** Where this view keeps its table, instead of the module's `storage`. */
  readonly storage?: StorageFactory;
}

/**
 * Options of one registered emitter; they win over the module's `emitterDefaults`.
 *
 * @publicApi
 */
export interface GokaEmitterOptions extends GokaEmitterDefaults {
  /** Kafka client id of the emitter. @default `<module clientId>-emitter-<topic>` or `goka-emitter-<topic>` */
  readonly clientId?: string;
}
