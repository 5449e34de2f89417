import { Emitter, MemoryKafka, partitionFor, silentLogger } from '@goka/core';
import type { Codec, GroupGraph, Headers, ProcessContext, View } from '@goka/core';
import { CodecRegistry } from './codec-registry.js';
import { FailureLog } from './failure-log.js';
import { QueueTracker } from './queue-tracker.js';
import { quiesce } from './quiescence.js';
import { decodeValue, encodeValue, latestValue, liveKeys } from './table-records.js';
import { writeTableRecords } from './table-writes.js';
import { TesterEmitter } from './tester-emitter.js';
import { TesterError } from './tester-error.js';
import type { TesterComponent, TesterHost, TopicKind } from './tester-host.js';
import type { ConsumeOptions, TesterEmitterOptions, TesterOptions } from './tester-options.js';
import { TesterProcessor } from './tester-processor.js';
import type { TesterProcessorOptions } from './tester-processor-options.js';
import { TesterViewEntry } from './tester-view.js';
import type { TesterViewOptions } from './tester-view.js';
import { TopicJournals } from './topic-journal.js';

/** What the tester needs of its processor instances, whatever their table type. */
type ProcessorEntry = Pick<
  TesterProcessor,
  'group' | 'name' | 'outcome' | 'ownsTable' | 'applyTableRecord' | 'partitions' | 'transition' | 'shutdown'
>;

/**
 * @publicApi The test harness (Goka's `tester.Tester`, with partitions, rebalances and crashes): an
 * in-memory Kafka that processors, views and emitters plug into through {@link processor},
 * {@link view} and {@link emitter}. {@link consume} writes a record and resolves once every
 * processor and view is idle again — loops, outputs consumed by other processors and chains
 * included — or rejects with the error a callback failed with.
 *
 * @example
 * const tester = createTester({ partitions: 4 });
 * await tester.processor(counterGraph);
 * await tester.consume('clicks', 'alice', 'click');
 * expect(tester.tableValue(tableName('counter'), 'alice')).toBe(1);
 */
export class Tester {
  /** The in-memory Kafka every component of the test shares. */
  readonly kafka = new MemoryKafka();
  /** Partitions of the topics the tester creates. */
  readonly partitions: number;
  readonly #codecs = new CodecRegistry();
  readonly #failures = new FailureLog();
  readonly #journals = new TopicJournals(this.kafka);
  readonly #components = new Set<TesterComponent>();
  readonly #processors: ProcessorEntry[] = [];
  readonly #tables = new Set<string>();
  readonly #instances = new Map<string, number>();
  readonly #host: TesterHost;

  constructor(options: TesterOptions = {}) {
    const partitions = options.partitions ?? 1;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`a tester needs a whole number of partitions ≥ 1, not ${partitions}`);
    }
    this.partitions = partitions;
    this.#host = { kafka: this.kafka, failures: this.#failures, settle: () => this.catchup() };
  }

  /**
   * Creates and starts an instance of the processor of `graph` (after the first: another instance
   * of the same group, which takes over some of its partitions). Registers the graph's codecs and
   * creates its input, output, join and lookup topics. Resolves once the instance is running and the
   * tester is idle.
   * @throws GraphValidationError for an invalid graph; the processor's error if it fails to start
   */
  async processor<V>(graph: GroupGraph<ProcessContext<V>>, options: TesterProcessorOptions = {}): Promise<TesterProcessor<V>> {
    graph.validate();
    this.#register(graph as GroupGraph<ProcessContext<unknown>>);
    const count = (this.#instances.get(graph.group) ?? 0) + 1;
    this.#instances.set(graph.group, count);
    const instance = new TesterProcessor(this.#host, graph, `${graph.group}#${count}`, options);
    this.#processors.push(instance);
    this.#components.add(instance);
    if (options.start !== false) await instance.start();
    return instance;
  }

  /**
   * Creates a view of `table` (creating the topic if needed), runs it and resolves once it is
   * running; with `start: false` it is only created (Goka's "get before run" case).
   */
  async view<V>(table: string, codec: Codec<V>, options: TesterViewOptions = {}): Promise<View<V>> {
    this.#codecs.register(table, codec, `a view of "${table}"`);
    this.ensureTopic(table, 'table');
    const count = (this.#instances.get(`view ${table}`) ?? 0) + 1;
    this.#instances.set(`view ${table}`, count);
    const entry = new TesterViewEntry(this.#host, table, codec, `view-${table}#${count}`, options);
    this.#components.add(entry);
    if (options.start !== false) {
      await entry.start();
      await this.catchup();
    }
    return entry.view;
  }

  /** An emitter to `topic` whose `emit` resolves once everything consuming it is idle. */
  emitter<V>(topic: string, codec: Codec<V>, options: TesterEmitterOptions = {}): TesterEmitter<V> {
    this.#codecs.register(topic, codec, `an emitter to "${topic}"`);
    this.ensureTopic(topic);
    const emitter = new Emitter(topic, codec, { logger: silentLogger, ...options, kafka: this.kafka });
    return new TesterEmitter(emitter, () => this.catchup());
  }

  /**
   * Writes a record to `topic` — the value encoded with the topic's codec (`null`: a tombstone),
   * the partition chosen by Goka's partitioner — and resolves once every processor and view is idle.
   * @throws (rejects) the error of a processor that failed meanwhile, e.g. a callback's
   */
  async consume<V>(topic: string, key: string, value: V | null, options: ConsumeOptions<V> = {}): Promise<void> {
    const codec = options.codec ?? (this.#codecs.require(topic, `consume into "${topic}"`) as Codec<V>);
    const bytes = value === null ? null : encodeValue(codec, value, topic, key);
    this.ensureTopic(topic);
    this.kafka.produce([
      {
        topic,
        partition: this.#partitionIn(topic, key),
        key: Buffer.from(key),
        value: bytes,
        headers: toHeaders(options.headers),
        timestamp: options.timestamp ?? 0,
      },
    ]);
    await this.catchup();
  }

  /**
   * Follows the records written to `topic` from now on, decoded with `codec` (default: the topic's
   * registered codec).
   */
  tracker<V = unknown>(topic: string, codec?: Codec<V>): QueueTracker<V> {
    const decoder = codec ?? (this.#codecs.require(topic, `track "${topic}"`) as Codec<V>);
    this.ensureTopic(topic);
    return new QueueTracker(this.#journals.of(topic), topic, decoder, (message) => this.kafka.isAborted(message));
  }

  /** The value of `key` in `table` (decoded with the table's codec), `undefined` when absent or deleted. */
  tableValue<V = unknown>(table: string, key: string): V | undefined {
    const codec = this.#codecs.require(table, `read table "${table}"`) as Codec<V>;
    if (this.kafka.describeTopic(table) === undefined) return undefined;
    const bytes = latestValue(this.kafka, table, this.#partitionIn(table, key), key);
    return bytes === null || bytes === undefined ? undefined : decodeValue(codec, bytes, table, key);
  }

  /** The keys of `table` that have a value, in byte order (Goka's `GetTableKeys`). */
  tableKeys(table: string): string[] {
    return liveKeys(this.kafka, table);
  }

  /**
   * Sets `key` in `table` (`null` deletes it) through Kafka, so processors, views and joins see it,
   * and resolves once everything is idle. Waits first until every component is running.
   */
  async setTableValue<V>(table: string, key: string, value: V | null): Promise<void> {
    await this.catchup();
    const codec = this.#codecs.require(table, `set a value of table "${table}"`) as Codec<V>;
    const bytes = value === null ? null : encodeValue(codec, value, table, key);
    await this.#writeTable(table, [[key, bytes]]);
    await this.catchup();
  }

  /** Deletes every value of every table the tester knows (tombstones through Kafka), then waits until idle. */
  async clearValues(): Promise<void> {
    await this.catchup();
    for (const table of this.#tables) {
      const keys = liveKeys(this.kafka, table);
      if (keys.length > 0) await this.#writeTable(table, keys.map((key) => [key, null] as const));
    }
    await this.catchup();
  }

  /**
   * Resolves once every processor and view is idle (e.g. after `Processor.visitAll` or a write the
   * test made itself); rejects with the error of a component that failed meanwhile.
   */
  async catchup(): Promise<void> {
    await quiesce(this.kafka, this.#journals, () => this.#components);
    await this.#failures.flush();
  }

  /**
   * Resolves once every running processor instance has committed all it processed (the commit timer
   * runs every `commitIntervalMs`, 1 ms by default in the tester). Never resolves while a deferred
   * commit is open.
   */
  async waitForCommits(): Promise<void> {
    await this.catchup();
    const groups = new Set(this.#processors.filter((entry) => entry.outcome === 'running').map((entry) => entry.group));
    await Promise.all([...groups].map((group) => this.kafka.group(group).whenCommitted()));
  }

  /** The partitions each running instance of `group` consumes now: instance name → sorted partitions. */
  assignments(group: string): Map<string, number[]> {
    const result = new Map<string, number[]>();
    for (const entry of this.#processors) {
      if (entry.group === group && entry.outcome === 'running') result.set(entry.name, entry.partitions());
    }
    return result;
  }

  /**
   * Registers the codecs of `graph` and creates its topics (as {@link processor} does) for a processor
   * of this graph that runs on {@link kafka} outside the tester, e.g. in a Nest application through
   * `@goka/nestjs/testing`: `consume`, `tableValue` and `tracker` then know its topics, and `consume`
   * waits for it like for any reader of the in-memory Kafka.
   * @throws GraphValidationError for an invalid graph; TesterError when a topic already has a codec of another name
   */
  registerGraph(graph: GroupGraph<ProcessContext<unknown>>): void {
    graph.validate();
    this.#register(graph);
  }

  /**
   * Registers `codec` for `topic` and creates the topic (as {@link view} and {@link emitter} do), for a
   * view or emitter that runs on {@link kafka} outside the tester.
   * @throws TesterError when the topic already has a codec of another name
   */
  registerTopic(topic: string, codec: Codec<unknown>, kind: TopicKind = 'stream'): void {
    this.#codecs.register(topic, codec, `topic "${topic}"`);
    this.ensureTopic(topic, kind);
  }

  /** Creates `topic` with the tester's partition count if it does not exist (tables compacted). */
  ensureTopic(topic: string, kind: TopicKind = 'stream'): void {
    if (kind === 'table') this.#tables.add(topic);
    this.kafka.createTopic(topic, {
      partitions: this.partitions,
      config: kind === 'table' ? { 'cleanup.policy': 'compact' } : {},
    });
  }

  /** The partition Goka's partitioner gives `key` among the tester's partitions. */
  partitionOf(key: string): number {
    return partitionFor(key, this.partitions);
  }

  /** Stops every processor instance and view (gracefully) and stops recording topics. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.#components].map((component) => component.shutdown()));
    this.#journals.close();
  }

  #register(graph: GroupGraph<ProcessContext<unknown>>): void {
    const source = `processor "${graph.group}"`;
    const use = (topic: string, codec: Codec<unknown>, kind: TopicKind | undefined): void => {
      this.#codecs.register(topic, codec, source);
      if (kind !== undefined) this.ensureTopic(topic, kind);
    };
    for (const edge of graph.inputStreams()) use(edge.topic, edge.codec, 'stream');
    for (const edge of graph.outputStreams()) use(edge.topic, edge.codec, 'stream');
    for (const edge of [...graph.jointTables(), ...graph.lookupTables()]) use(edge.topic, edge.codec, 'table');
    const loop = graph.loopStream();
    if (loop !== undefined) use(graph.loopTopic, loop.codec, undefined);
    const table = graph.groupTable();
    if (table !== undefined) {
      use(graph.tableTopic, table.codec, undefined);
      this.#tables.add(graph.tableTopic);
    }
  }

  /**
   * Writes table records to Kafka and applies them to the running owners' open stores (a processor
   * never reads its own table topic while it runs).
   */
  async #writeTable(table: string, entries: ReadonlyArray<readonly [string, Buffer | null]>): Promise<void> {
    this.ensureTopic(table, 'table');
    const writes = writeTableRecords(this.kafka, table, entries);
    for (const entry of this.#processors) {
      if (!entry.ownsTable(table)) continue;
      for (const [partition, { ops, offset }] of writes) await entry.applyTableRecord(table, partition, ops, offset);
    }
  }

  #partitionIn(topic: string, key: string): number {
    const count = this.kafka.describeTopic(topic)?.partitions.length;
    if (count === undefined) throw new TesterError(`topic "${topic}" does not exist`);
    return partitionFor(key, count);
  }
}

/** @publicApi Creates a tester with its own in-memory Kafka. */
export function createTester(options: TesterOptions = {}): Tester {
  return new Tester(options);
}

function toHeaders(headers: ConsumeOptions['headers']): Headers {
  if (headers === undefined) return {};
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? Buffer.from(value) : value]),
  );
}
