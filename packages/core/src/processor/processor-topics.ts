import type { ProcessContext } from '../context/process-context.js';
import { processorNotRunning } from './processor.messages.js';
import { ProcessorError } from '../errors/processor-error.js';
import { TopicCreationOptionsError } from '../errors/topic-error.js';
import type { GroupGraph } from '../graph/group-graph.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import { deadLetterTopics } from '../policy/error-policy.js';
import { TopicManager } from '../topic/topic-manager.js';
import { creationOptions, topicSpec } from '../topic/topic-creation.js';
import type { CreateTopicsOptions, TopicCreateSpec } from '../topic/topic-creation.js';
import type { GokaLogger } from '../util/logger.js';
import type { ProcessorOptions } from './processor-options.js';

/** The topics the group consumes: inputs and the loop. */
export function consumedTopics(graph: GroupGraph<ProcessContext<unknown>>): string[] {
  const topics = graph.inputStreams().map((edge) => edge.topic);
  if (graph.loopStream() !== undefined) topics.push(graph.loopTopic);
  return [...new Set(topics)];
}

/**
 * The topics of a running processor: checks (and with `createTopics` creates) its inputs, loop, group
 * table, outputs and dead-letter topics, and knows their partition counts.
 */
export class ProcessorTopics {
  /** The partition count of the group's copartitioned topics (0 before {@link prepare}). */
  partitionCount = 0;
  /** The partition count of each output stream. */
  readonly outputPartitions = new Map<string, number>();
  /** The partition count of each dead-letter topic, once ensured (while running). */
  private readonly deadLetters = new Map<string, Promise<number>>();
  private topicManager: TopicManager | undefined;

  constructor(
    private readonly graph: GroupGraph<ProcessContext<unknown>>,
    private readonly options: ProcessorOptions,
    private readonly logger: GokaLogger,
  ) {}

  private get group(): string {
    return this.graph.group;
  }

  /** `adapterDefault`: the adapter's `createTopics`, used when the processor's own is not set. */
  async prepare(admin: KafkaAdmin, adapterDefault: TopicCreateSpec | undefined): Promise<void> {
    const manager = new TopicManager(admin, { logger: this.logger, ...this.options.topicManager });
    const graph = this.graph;
    const copartitioned = [...graph.inputStreams().map((edge) => edge.topic), ...graph.jointTables().map((edge) => edge.topic)];
    const creation = this.options.createTopics === undefined ? adapterDefault : creationOptions(this.options.createTopics, 'createTopics', `processor ${JSON.stringify(this.group)}`);
    if (creation !== undefined) await this.createInputs(manager, creation);
    this.partitionCount = await manager.checkCopartitioned([...new Set(copartitioned)], this.group);
    if (graph.loopStream() !== undefined) await manager.ensureStreamExists(graph.loopTopic, this.partitionCount);
    if (graph.groupTable() !== undefined) await manager.ensureTableExists(graph.tableTopic, this.partitionCount);
    const owned = [graph.loopStream() === undefined ? undefined : graph.loopTopic, graph.groupTable() === undefined ? undefined : graph.tableTopic];
    await manager.checkCopartitioned([...new Set(copartitioned), ...owned.filter((t): t is string => t !== undefined)], this.group);
    for (const edge of graph.outputStreams()) {
      const spec = creation === undefined ? undefined : topicSpec(creation, edge.topic, this.partitionCount);
      const count = spec === undefined ? (await manager.partitions(edge.topic)).length : await manager.ensureUserStream(edge.topic, spec);
      this.outputPartitions.set(edge.topic, count);
    }
    this.topicManager = manager;
    for (const topic of this.knownDeadLetterTopics()) await this.deadLetterPartitions(topic);
  }
  /**
   * `createTopics`: creates the missing input streams with the partition count of their
   * copartitioned siblings (the existing inputs, joined tables, the group table and loop), or
   * `partitions` when none exists. Joined tables are another group's: they are never created here.
   */
  private async createInputs(manager: TopicManager, creation: CreateTopicsOptions): Promise<void> {
    const graph = this.graph;
    const inputs = [...new Set(graph.inputStreams().map((edge) => edge.topic))];
    for (const topic of inputs) {
      const own = creation.topics?.[topic];
      if (own !== undefined && own !== false && own.partitions !== undefined) {
        throw new TopicCreationOptionsError(
          `createTopics.topics["${topic}"].partitions`,
          `left out: input "${topic}" of group "${this.group}" takes the partition count of its copartitioned topics (set createTopics.partitions for the group)`,
          own.partitions,
          `processor ${JSON.stringify(this.group)}`,
        );
      }
    }
    const siblings = [
      ...inputs,
      ...graph.jointTables().map((edge) => edge.topic),
      ...(graph.groupTable() === undefined ? [] : [graph.tableTopic]),
      ...(graph.loopStream() === undefined ? [] : [graph.loopTopic]),
    ];
    let count: number | undefined;
    const missing: string[] = [];
    for (const topic of new Set(siblings)) {
      const found = await manager.partitionCount(topic);
      if (found === undefined) {
        if (inputs.includes(topic)) missing.push(topic);
      } else {
        count ??= found;
      }
    }
    for (const topic of missing) {
      const spec = topicSpec(creation, topic, count ?? creation.partitions ?? 1);
      if (spec === undefined) continue;
      const created = await manager.ensureUserStream(topic, spec);
      count ??= created;
    }
  }

  /** The dead-letter topics the error policies name (a policy function may use others too). */
  private knownDeadLetterTopics(): string[] {
    const consumed = consumedTopics(this.graph);
    const policies = [this.options.onError, ...consumed.map((topic) => this.graph.errorPolicy(topic))];
    return [...new Set(policies.flatMap((policy) => deadLetterTopics(policy, this.group)))];
  }

  /** Ensures dead-letter `topic` (created with the group's partition count) and returns its partition count. */
  deadLetterPartitions(topic: string): Promise<number> {
    let known = this.deadLetters.get(topic);
    if (known === undefined) {
      const manager = this.topicManager;
      if (manager === undefined) return Promise.reject(new ProcessorError(processorNotRunning(this.group), this.group));
      known = manager.ensureDeadLetterExists(topic, this.partitionCount);
      // A failed creation is tried again by the next record that needs it.
      known.catch(() => this.deadLetters.delete(topic));
      this.deadLetters.set(topic, known);
    }
    return known;
  }
}
