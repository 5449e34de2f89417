import { TopicCreationOptionsError } from '../errors/topic-error.js';

/**
 * How a missing stream topic (an input, an output, an emitter's topic) is created: Goka's
 * `TopicManager.EnsureStreamExists`, opt-in. The replication factor is lowered to the broker count,
 * so a one-broker development cluster works with the defaults.
 */
export interface TopicCreateSpec {
  /**
   * Partitions of the created topic. A processor's inputs take the partition count of their
   * copartitioned siblings (the other inputs, joined tables, the group table and loop) when one
   * exists; its outputs take the group's partition count unless this is set for them in `topics`.
   * @default 1
   */
  readonly partitions?: number;
  /** Replication factor of the created topic, lowered to the broker count. @default 2 (as Goka's streams) */
  readonly replicationFactor?: number;
  /** Topic configs of the created topic (e.g. `retention.ms`). @default {} (the broker's defaults) */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * A processor's `createTopics`: create its missing input and output topics at start (the group
 * table and loop are created as always). `topics` refines one topic (`false`: never create it;
 * an input's entry cannot set `partitions`, which the copartitioning rule decides).
 */
export interface CreateTopicsOptions extends TopicCreateSpec {
  readonly topics?: Readonly<Record<string, TopicCreateSpec | false>>;
}

/** A resolved creation spec: every field set. */
export interface ResolvedTopicSpec {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: Readonly<Record<string, string>>;
}

/** Default replication factor of created stream topics (Goka's `Stream.Replication`). */
export const DEFAULT_STREAM_REPLICATION = 2;

/** `true` / an object → the options; `false` / `undefined` → `undefined` (creation off). */
export function creationOptions<T extends TopicCreateSpec>(value: boolean | T | undefined, where: string, owner?: string): T | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {} as T;
  if (typeof value !== 'object' || value === null) throw new TopicCreationOptionsError(where, 'true, false or an object', value, owner);
  checkSpec(value, where, owner);
  const topics = (value as CreateTopicsOptions).topics;
  if (topics !== undefined) {
    if (typeof topics !== 'object' || topics === null) throw new TopicCreationOptionsError(`${where}.topics`, 'an object of topic name to settings or false', topics, owner);
    for (const [topic, spec] of Object.entries(topics)) {
      if (spec === false) continue;
      if (typeof spec !== 'object' || spec === null) throw new TopicCreationOptionsError(`${where}.topics["${topic}"]`, 'an object or false', spec, owner);
      checkSpec(spec, `${where}.topics["${topic}"]`, owner);
    }
  }
  return value;
}

function checkSpec(spec: TopicCreateSpec, where: string, owner: string | undefined): void {
  const { partitions, replicationFactor, config } = spec;
  if (partitions !== undefined && !(Number.isSafeInteger(partitions) && partitions >= 1)) {
    throw new TopicCreationOptionsError(`${where}.partitions`, 'a positive integer', partitions, owner);
  }
  if (replicationFactor !== undefined && !(Number.isSafeInteger(replicationFactor) && replicationFactor >= 1)) {
    throw new TopicCreationOptionsError(`${where}.replicationFactor`, 'a positive integer', replicationFactor, owner);
  }
  if (config !== undefined && (typeof config !== 'object' || config === null || Object.values(config).some((v) => typeof v !== 'string'))) {
    throw new TopicCreationOptionsError(`${where}.config`, 'an object of config name to string value', config, owner);
  }
}

/**
 * The spec of `topic` under `options`: its own entry over the shared settings (`undefined` when its
 * entry is `false`). `partitions` is the count to use when neither sets one.
 */
export function topicSpec(options: CreateTopicsOptions, topic: string, partitions: number): ResolvedTopicSpec | undefined {
  const own = options.topics?.[topic];
  if (own === false) return undefined;
  return {
    partitions: own?.partitions ?? partitions,
    replicationFactor: own?.replicationFactor ?? options.replicationFactor ?? DEFAULT_STREAM_REPLICATION,
    config: { ...options.config, ...own?.config },
  };
}
