import type { Codec } from '../codec/codec.js';
import type { ProcessContext } from '../context/process-context.js';
import { CodecError } from '../errors/codec-error.js';
import {
  invalidCompression,
  processorMissingPartition,
  processorNotRunning,
  processorNoVisitor,
  processorRunOnce,
  processorStateless,
  visitAborted,
} from './processor.messages.js';
import { ProcessorError, VisitAbortedError } from '../errors/processor-error.js';
import type { GroupGraph } from '../graph/group-graph.js';
import { bindCodecs } from '../graph/bind-codecs.js';
import { copartitionAssignor } from '../kafka/assignor/copartition-assignor.js';
import { COMPRESSION_TYPES, DEFAULT_COMPRESSION, isCompressionType } from '../kafka/compression.js';
import type { CompressionType } from '../kafka/compression.js';
import { connectComponent } from '../kafka/connect-component.js';
import { adapterOf, kafkaSource } from '../kafka/connection.js';
import type { ConsumerGroupOptions, GroupHandler } from '../kafka/consumer-group.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { fnv1a32 } from '../partitioner/fnv1a.js';
import type { Hasher } from '../partitioner/hasher.js';
import { memoryStorageFactory } from '../storage/memory-storage-factory.js';
import type { StorageFactory } from '../storage/storage.js';
import { creationOptions } from '../topic/topic-creation.js';
import { prefixedLogger, streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import { StateSignal } from '../util/state.js';
import type { StateReader } from '../util/state.js';
import { View } from '../view/view.js';
import { checkErrorPolicy } from '../policy/error-policy.js';
import type { IsolationLevel } from '../kafka/transaction.js';
import { TransactionCommitter } from './transaction-committer.js';
import { InFlightBudget } from './in-flight-budget.js';
import { PartitionProcessor } from './partition-processor.js';
import { partitionDeps } from './partition-deps.js';
import { ProcessorCommits } from './processor-commits.js';
import type { ProcessorOptions, VisitOptions } from './processor-options.js';
import { PROCESSOR_STATES } from './processor-state.js';
import type { ProcessorState } from './processor-state.js';
import type { ProcessorStats, ProcessorStatsOptions } from './processor-stats.js';
import { ProcessorStatsCollector, standbyPartitionStats } from './processor-stats-collector.js';
import { ProcessorTables } from './processor-tables.js';
import { consumedTopics, ProcessorTopics } from './processor-topics.js';
import { assignedPartitions } from './assigned-partitions.js';
import { createCommitter } from './processor-transactions.js';

/** Keys handed to a partition per visit step (input batches may run between steps). */
const VISIT_CHUNK = 500;
/** Default of {@link ProcessorOptions.maxInFlightBytes}. */
const DEFAULT_MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;

/**
 * Goka's processor: runs the callbacks of a group graph over the partitions the consumer group
 * assigns to it, keeps the group table (persisted to `<group>-table`, recovered into local storage),
 * joins and lookups, and commits each message only after its callback returned and everything it
 * produced was acknowledged (the contiguous completed prefix of each partition).
 *
 * @typeParam V the group table's value type
 */
export class Processor<V = unknown> {
  readonly group: string;
  private readonly options: ProcessorOptions;
  private readonly logger: GokaLogger;
  private readonly hasher: Hasher;
  private readonly storage: StorageFactory;
  private readonly signalState = new StateSignal<ProcessorState>(PROCESSOR_STATES, 'idle');
  private readonly partitions = new Map<number, PartitionProcessor>();
  /** The table partitions of the active partitions, and the hot-standby ones. */
  private readonly tables: ProcessorTables;
  private readonly lookups = new Map<string, View<unknown>>();
  private readonly controller = new AbortController();
  private readonly budget: InFlightBudget;
  /** The signal of the current generation (aborted on rebalance and shutdown). */
  private sessionSignal: AbortSignal | undefined;
  /** The admin client while running (stats ask it for high-water marks). */
  private admin: KafkaAdmin | undefined;
  private readonly topics: ProcessorTopics;
  private readonly statsCollector: ProcessorStatsCollector;
  private started = false;
  private failure: unknown;
  /** Exactly-once: the instance's transactions while running. */
  private committer: TransactionCommitter | undefined;
  /** The current membership of the consumer group (ended to process again after a failed transaction). */
  private membership: AbortController | undefined;
  /** {@link graph} with its codecs bound (`Codec.bind`) once `run` has bound them: what encodes and decodes. */
  private codecGraph: GroupGraph<ProcessContext<V>>;

  constructor(
    readonly graph: GroupGraph<ProcessContext<V>>,
    options: ProcessorOptions,
  ) {
    graph.validate();
    if (options.onError !== undefined) checkErrorPolicy(options.onError, `the options of processor "${graph.group}"`, 'any', graph.group);
    if (options.compression !== undefined && !isCompressionType(options.compression)) {
      throw new ProcessorError(invalidCompression(`processor ${JSON.stringify(graph.group)}`, COMPRESSION_TYPES, options.compression), graph.group);
    }
    this.group = graph.group;
    this.codecGraph = graph;
    creationOptions(options.createTopics, 'createTopics', `processor ${JSON.stringify(graph.group)}`);
    this.options = options;
    this.logger = prefixedLogger(options.logger ?? streamLogger('warn'), `[Processor ${graph.group}] `);
    this.hasher = options.hasher ?? fnv1a32;
    this.storage = options.storage ?? memoryStorageFactory();
    const maxInFlightBytes = options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES;
    if (!Number.isSafeInteger(maxInFlightBytes) || maxInFlightBytes <= 0) {
      throw new ProcessorError(
        `processor ${JSON.stringify(graph.group)}: maxInFlightBytes must be a positive integer of bytes, got ${String(maxInFlightBytes)}`,
        graph.group,
      );
    }
    this.budget = new InFlightBudget(maxInFlightBytes);
    const unknownGraph = graph as GroupGraph<ProcessContext<unknown>>;
    this.topics = new ProcessorTopics(unknownGraph, options, this.logger);
    this.statsCollector = new ProcessorStatsCollector(this.group, this.logger);
    this.tables = new ProcessorTables({
      graph: unknownGraph,
      options,
      storage: this.storage,
      logger: this.logger,
      exactlyOnce: this.exactlyOnce,
      stopped: this.controller.signal,
      partitionCount: () => this.topics.partitionCount,
      fail: (error) => this.fail(error),
    });
  }

  /** The current state: idle → starting → setup → running (→ setup on rebalances) → stopping → stopped. */
  get state(): ProcessorState {
    return this.signalState.state;
  }

  /** Wait for states or observe their changes. */
  get states(): StateReader<ProcessorState> {
    return this.signalState;
  }

  /** Whether the assigned partitions are recovered and being processed (Goka's `Recovered`). */
  recovered(): boolean {
    return this.signalState.is('running');
  }

  /** Resolves once the processor is running (its partitions recovered); rejects if it stops first. */
  async waitForReady(signal?: AbortSignal): Promise<void> {
    await Promise.race([
      this.signalState.waitFor('running', signal),
      this.signalState.waitFor('stopped', signal).then(() => {
        throw new ProcessorError(`the processor of group "${this.group}" stopped before it was ready`, this.group, {
          cause: this.failure,
        });
      }),
    ]);
  }

  /** Stops the processor (as aborting the run signal does) and resolves when `run` has settled. */
  async stop(): Promise<void> {
    this.controller.abort();
    if (this.started) await this.signalState.waitFor('stopped');
  }

  /**
   * Runs the processor until `signal` aborts or {@link stop} is called (then resolves), or until an
   * error stops it (then rejects with that error: a `ProcessingError` naming group, topic, partition,
   * offset and key for a message that failed). A processor runs once.
   */
  async run(signal?: AbortSignal): Promise<void> {
    if (this.started) throw new ProcessorError(processorRunOnce(this.group), this.group);
    this.started = true;
    const source = adapterOf(kafkaSource(this.options, `Processor "${this.group}"`, this.logger));
    const kafka = source instanceof Promise ? await source : source;
    const clientId = this.options.clientId ?? `goka-processor-${this.group}`;
    const isolationLevel: IsolationLevel | undefined = this.exactlyOnce ? 'read_committed' : undefined;
    // Outputs, loopbacks and table writes share this producer (exactly-once: these transactions). A
    // compression this runtime cannot do (CompressionUnavailableError) rejects here, before anything connects.
    const producer = this.exactlyOnce ? this.createCommitter(kafka, clientId) : kafka.createProducer({ clientId, compression: this.compression });
    const onAbort = (): void => this.controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) this.controller.abort();
    this.signalState.set('starting');
    const admin = kafka.createAdmin({ clientId });
    const reader = kafka.createReader({ clientId, ...(isolationLevel === undefined ? {} : { isolationLevel }) });
    try {
      this.codecGraph = await bindCodecs(this.graph, this.options.codecServices);
      await connectComponent(`processor group ${JSON.stringify(this.group)}`, admin);
      this.admin = admin;
      await this.topics.prepare(admin, kafka.createTopics);
      await producer.connect();
      await this.startLookups(kafka);
      if (this.options.recoverAhead === true) await this.tables.recoverAhead(admin, reader);
      await this.consume(kafka, clientId, admin, reader, producer);
    } catch (error) {
      this.failure ??= error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.signalState.set('stopping');
      this.controller.abort();
      await Promise.allSettled([...this.lookups.values()].map((view) => view.stop()));
      await this.tables.closeStandby();
      this.admin = undefined;
      await Promise.allSettled([producer instanceof TransactionCommitter ? producer.close() : producer.disconnect(), reader.disconnect(), admin.disconnect()]);
      this.signalState.set('stopped');
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private get exactlyOnce(): boolean {
    return this.options.guarantee === 'exactly-once';
  }

  private get compression(): CompressionType {
    return this.options.compression ?? DEFAULT_COMPRESSION;
  }

  /**
   * Consumes as a member of the group until the processor stops. Exactly-once: when a transaction
   * fails (fenced, the generation lost, Kafka unreachable), the membership ends without committing,
   * the partitions' uncommitted state is dropped, and the instance joins again to process from the
   * committed offsets.
   */
  private async consume(
    kafka: KafkaAdapter,
    clientId: string,
    admin: KafkaAdmin,
    reader: PartitionReader,
    producer: KafkaProducer | TransactionCommitter,
  ): Promise<void> {
    while (!this.controller.signal.aborted) {
      const membership = new AbortController();
      const end = (): void => membership.abort();
      this.controller.signal.addEventListener('abort', end, { once: true });
      this.membership = membership;
      try {
        const group = kafka.createConsumerGroup(this.groupOptions(clientId));
        await group.run(this.handler(admin, reader, producer), membership.signal);
      } finally {
        this.controller.signal.removeEventListener('abort', end);
      }
      if (this.controller.signal.aborted || !(producer instanceof TransactionCommitter)) return;
      await producer.reset();
      this.signalState.set('setup');
    }
  }

  /** Exactly-once: the instance's transactions on a transactional producer of `kafka`. */
  private createCommitter(kafka: KafkaAdapter, clientId: string): TransactionCommitter {
    const source = { group: this.group, options: this.options, logger: this.logger, compression: this.compression };
    const committer = createCommitter({ ...source, transactionAborted: () => this.membership?.abort() }, kafka, clientId);
    this.committer = committer;
    return committer;
  }

  /**
   * The group-table value of `key` from local storage, if this instance holds the key's partition.
   * @throws ProcessorError for a stateless processor or a partition held elsewhere
   */
  async get(key: string): Promise<V | undefined> {
    const table = this.codecGraph.groupTable();
    if (table === undefined) throw new ProcessorError(processorStateless(this.group, 'get a value'), this.group);
    const partition = partitionFor(key, Math.max(1, this.topics.partitionCount), this.hasher);
    const worker = this.partitions.get(partition);
    const standby = this.tables.standby.get(partition);
    if (worker === undefined && standby?.isOpen !== true) {
      throw new ProcessorError(processorMissingPartition(this.group, partition), this.group);
    }
    const bytes = worker === undefined ? await standby?.storage.get(key) : await worker.tableBytes(key);
    if (bytes === undefined) return undefined;
    try {
      return table.codec.decode(bytes) as V;
    } catch (error) {
      throw CodecError.wrap(error, { operation: 'decode', topic: this.graph.tableTopic, key });
    }
  }

  /**
   * Runs visitor `name` with `meta` for every key of the group table in the partitions this instance
   * holds, interleaved with input messages, and resolves with the number of keys visited once their
   * side effects were acknowledged (Goka's `VisitAllWithStats`). `options.signal` cancels the visit
   * between keys (callbacks see it aborted through `ctx.signal`).
   * @throws VisitAbortedError when a rebalance, shutdown or `options.signal` interrupts it
   */
  async visitAll(name: string, meta: unknown, options: VisitOptions = {}): Promise<number> {
    if (this.graph.groupTable() === undefined) {
      throw new ProcessorError(processorStateless(this.group, 'visit values'), this.group);
    }
    if (this.graph.visitorCallback(name) === undefined) {
      throw new ProcessorError(processorNoVisitor(this.group, name), this.group);
    }
    const session = this.sessionSignal;
    if (session === undefined || !this.recovered()) throw new ProcessorError(processorNotRunning(this.group), this.group);
    const signal = options.signal === undefined ? session : AbortSignal.any([session, options.signal]);
    let visited = 0;
    for (const worker of this.partitions.values()) {
      const storage = worker.tableStorage();
      if (storage === undefined) continue;
      // The store holds acknowledged writes only: let what was processed before the call reach it,
      // so that keys whose first write is still being produced are visited too (as in Goka).
      await worker.drain();
      if (signal.aborted) break;
      let chunk: string[] = [];
      for await (const [key] of storage.iterator()) {
        if (signal.aborted) break;
        chunk.push(key);
        if (chunk.length === VISIT_CHUNK) {
          visited += await worker.visit(name, chunk, meta, signal);
          chunk = [];
        }
      }
      if (chunk.length > 0 && !signal.aborted) visited += await worker.visit(name, chunk, meta, signal);
      if (signal.aborted) break;
    }
    if (signal.aborted) throw new VisitAbortedError(visitAborted(this.group, name), this.group, visited);
    return visited;
  }

  /**
   * Per-partition statistics (Goka's `Stats`): for each active partition its state, per input topic
   * the messages and bytes consumed, the last offset consumed, the last commit, the high-water mark and
   * the lag, per written topic the records acknowledged; standby partitions with their table's
   * progress; the lookup views. The high-water marks are asked from Kafka now (if it does not answer
   * within 5 s, the last known ones are reported), unless every one is younger than
   * `options.maxHighWatermarkAgeMs`. Never rejects.
   */
  async stats(options: ProcessorStatsOptions = {}): Promise<ProcessorStats> {
    const workers = [...this.partitions.values()];
    const topics = consumedTopics(this.graph as GroupGraph<ProcessContext<unknown>>);
    const collector = this.statsCollector;
    await collector.refreshHighWatermarks(this.admin, topics, workers.map((worker) => worker.partition), options.maxHighWatermarkAgeMs ?? 0);
    const stateful = this.graph.groupTable() !== undefined;
    const active = workers.map((worker) => collector.activePartition(worker, topics, this.tables.groupTableStats(worker), stateful));
    const standby = [...this.tables.standby.values()].map(standbyPartitionStats);
    return {
      group: this.group,
      state: this.state,
      commits: collector.commits(),
      guarantee: this.exactlyOnce ? 'exactly-once' : 'at-least-once',
      ...(this.committer === undefined ? {} : { transactions: this.committer.stats() }),
      callbackErrors: collector.callbackErrors,
      errorPolicy: { ...collector.policy },
      partitions: [...active, ...standby].sort((a, b) => a.partition - b.partition),
      lookups: Object.fromEntries([...this.lookups].map(([topic, view]) => [topic, view.stats()])),
    };
  }

  private async startLookups(kafka: KafkaAdapter): Promise<void> {
    for (const edge of this.codecGraph.lookupTables()) {
      const view = new View(edge.topic, edge.codec as Codec<unknown>, {
        kafka,
        storage: this.storage,
        logger: this.options.logger,
        hasher: this.hasher,
        autoReconnect: true,
      });
      this.lookups.set(edge.topic, view);
      view.run(this.controller.signal).catch((error: unknown) => this.fail(error));
    }
    await Promise.all([...this.lookups.values()].map((view) => view.waitRunning(this.controller.signal)));
  }

  private groupOptions(clientId: string): ConsumerGroupOptions {
    return {
      ...(this.exactlyOnce ? { isolationLevel: 'read_committed' as const } : {}),
      groupId: this.group,
      clientId,
      topics: consumedTopics(this.graph as GroupGraph<ProcessContext<unknown>>),
      assignor: copartitionAssignor(),
      initialOffset: this.options.initialOffset ?? 'newest',
      ...(this.options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: this.options.sessionTimeoutMs }),
      ...(this.options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: this.options.heartbeatIntervalMs }),
    };
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.controller.abort();
  }

  private handler(admin: KafkaAdmin, reader: PartitionReader, producer: KafkaProducer | TransactionCommitter): GroupHandler {
    const host = { group: this.group, logger: this.logger, stats: this.statsCollector, workers: () => [...this.partitions.values()], tracing: this.options.tracing !== false };
    const commits = new ProcessorCommits({ ...host, fail: (error) => this.fail(error) }, producer, this.controller.signal);
    return {
      assigned: async (session) => {
        // A transaction failed between generations: abort it before anything of this one is sent.
        if (producer instanceof TransactionCommitter && producer.failed !== undefined) await producer.reset();
        this.sessionSignal = session.signal;
        this.signalState.set('setup');
        const partitions = assignedPartitions(session.assignment, this.group);
        this.options.rebalanceCallback?.(session.assignment);
        await this.tables.releaseStandby(partitions);
        await Promise.all(partitions.map((partition) => this.openPartition(partition, admin, reader, producer, session.signal)));
        for (const worker of this.partitions.values()) worker.phase = 'running';
        this.tables.startStandby(partitions, admin, reader);
        this.signalState.set('running');
        commits.start(session, this.options.commitIntervalMs ?? (this.exactlyOnce ? 100 : 1000));
      },
      batch: async (session, topic, partition, messages) => {
        const worker = this.partitions.get(partition);
        if (worker === undefined) throw new ProcessorError(processorMissingPartition(this.group, partition), this.group);
        await worker.process(topic, messages, session.signal);
      },
      revoked: async (session) => {
        commits.stop();
        const workers = [...this.partitions.values()];
        for (const worker of workers) worker.phase = 'stopping';
        await Promise.all(workers.map((worker) => worker.drain()));
        await commits.settled();
        if (producer instanceof TransactionCommitter && producer.failed !== undefined) {
          // Nothing of the failed transaction is committed: abort it before the partitions go to others.
          await producer.reset();
        } else {
          await commits.commit(session);
        }
        this.partitions.clear();
        await Promise.all(workers.map((worker) => this.tables.close(worker)));
        if (!this.controller.signal.aborted) this.signalState.set('setup');
      },
    };
  }

  private async openPartition(
    partition: number,
    admin: KafkaAdmin,
    reader: PartitionReader,
    producer: KafkaProducer | TransactionCommitter,
    signal: AbortSignal,
  ): Promise<void> {
    const opened = this.tables.open(partition, admin, reader, signal);
    const source = { graph: this.codecGraph as GroupGraph<ProcessContext<unknown>>, options: this.options, logger: this.logger, hasher: this.hasher };
    const deps = partitionDeps({ ...source, stats: this.statsCollector, topics: this.topics, lookups: this.lookups, budget: this.budget, fail: (error) => this.fail(error) }, producer);
    const worker = new PartitionProcessor(partition, deps, opened.table, opened.joins);
    this.partitions.set(partition, worker);
    this.tables.track(worker, opened);
    await opened.recovered;
  }
}
