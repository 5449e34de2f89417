import type { Codec } from '../codec/codec.js';
import type { ProcessContext } from '../context/process-context.js';
import { CodecError } from '../errors/codec-error.js';
import { GokaError } from '../errors/goka-error.js';
import { CommitFailedError } from '../errors/group-error.js';
import { KafkaConnectionError } from '../errors/kafka-error.js';
import { TopicCreationOptionsError } from '../errors/topic-error.js';
import {
  claimsNotCopartitioned,
  invalidCompression,
  processorCommitFailed,
  processorMissingPartition,
  processorNotRunning,
  processorNoVisitor,
  processorRunOnce,
  processorStateless,
  processorStatsNoHighWatermarks,
  visitAborted,
} from '../errors/messages.js';
import { ProcessorError, VisitAbortedError } from '../errors/processor-error.js';
import type { ProcessingError } from '../errors/processor-error.js';
import type { GroupGraph } from '../graph/group-graph.js';
import { copartitionAssignor } from '../kafka/assignor/copartition-assignor.js';
import { COMPRESSION_TYPES, DEFAULT_COMPRESSION, isCompressionType } from '../kafka/compression.js';
import type { CompressionType } from '../kafka/compression.js';
import { connectComponent } from '../kafka/connect-component.js';
import { adapterOf, kafkaSource } from '../kafka/connection.js';
import type { Assignment, ConsumerGroupOptions, GroupHandler, GroupSession } from '../kafka/consumer-group.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { fnv1a32 } from '../partitioner/fnv1a.js';
import type { Hasher } from '../partitioner/hasher.js';
import { memoryStorageFactory } from '../storage/memory-storage-factory.js';
import type { StorageFactory } from '../storage/storage.js';
import { PartitionTable } from '../table/partition-table.js';
import { TopicManager } from '../topic/topic-manager.js';
import { creationOptions, topicSpec } from '../topic/topic-creation.js';
import type { CreateTopicsOptions, TopicCreateSpec } from '../topic/topic-creation.js';
import { prefixedLogger, streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import { StateSignal } from '../util/state.js';
import type { StateReader } from '../util/state.js';
import { View } from '../view/view.js';
import { checkErrorPolicy, deadLetterTopics } from '../policy/error-policy.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { IsolationLevel } from '../kafka/transaction.js';
import type { PolicyOutcome } from './partition-processor.js';
import { TransactionCommitter, isTransactionFailure } from './transaction-committer.js';
import { processorNoTransactions, processorTransactionAborted } from './transaction.messages.js';
import { defaultTransactionalId } from '../util/transactional-id.js';
import { InFlightBudget } from './in-flight-budget.js';
import { PartitionProcessor } from './partition-processor.js';
import type { ProcessorOptions, VisitOptions } from './processor-options.js';
import { PROCESSOR_STATES } from './processor-state.js';
import type { ProcessorState } from './processor-state.js';
import type { PartitionInputStats, PartitionProcessorStats, ProcessorStats, ProcessorStatsOptions } from './processor-stats.js';

/** Keys handed to a partition per visit step (input batches may run between steps). */
const VISIT_CHUNK = 500;
/** Default of {@link ProcessorOptions.maxInFlightBytes}. */
const DEFAULT_MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;
/** How long {@link Processor.stats} waits for Kafka's high-water marks before it reports the last known ones. */
const STATS_HWM_TIMEOUT_MS = 5_000;


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
  private readonly tables = new Map<PartitionProcessor, PartitionTable[]>();
  /** Hot-standby copies of the table partitions this instance is not assigned. */
  private readonly standby = new Map<number, PartitionTable>();
  private readonly lookups = new Map<string, View<unknown>>();
  private readonly outputPartitions = new Map<string, number>();
  private readonly controller = new AbortController();
  private readonly budget: InFlightBudget;
  /** The signal of the current generation (aborted on rebalance and shutdown). */
  private sessionSignal: AbortSignal | undefined;
  private partitionCount = 0;
  /** The admin client while running (stats ask it for high-water marks). */
  private admin: KafkaAdmin | undefined;
  /** The last high-water mark known per `topic/partition`. */
  private readonly hwms = new Map<string, number>();
  /** When each of {@link hwms} was received (`performance.now()`), for `stats({ maxHighWatermarkAgeMs })`. */
  private readonly hwmsAt = new Map<string, number>();
  /** Callbacks that threw since the processor was created, for stats. */
  private callbackErrors = 0;
  /** What the error policies did since the processor was created, for stats. */
  private readonly policyStats: Record<PolicyOutcome, number> = { retried: 0, skipped: 0, deadLettered: 0 };
  /** The partition count of each dead-letter topic, once ensured (while running). */
  private readonly deadLetters = new Map<string, Promise<number>>();
  private topicManager: TopicManager | undefined;
  /** Offset commits since the processor was created, for stats. */
  private readonly commitStats: { count: number; failed: number; totalLatencyMs: number; lastLatencyMs: number | undefined } = {
    count: 0,
    failed: 0,
    totalLatencyMs: 0,
    lastLatencyMs: undefined,
  };
  private started = false;
  private failure: unknown;
  /** Exactly-once: the instance's transactions while running. */
  private committer: TransactionCommitter | undefined;
  /** The current membership of the consumer group (ended to process again after a failed transaction). */
  private membership: AbortController | undefined;

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
      await connectComponent(`processor group ${JSON.stringify(this.group)}`, admin);
      this.admin = admin;
      await this.prepareTopics(admin, kafka.createTopics);
      await producer.connect();
      await this.startLookups(kafka);
      if (this.options.recoverAhead === true) await this.recoverAhead(admin, reader);
      await this.consume(kafka, clientId, admin, reader, producer);
    } catch (error) {
      this.failure ??= error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.signalState.set('stopping');
      this.controller.abort();
      await Promise.allSettled([...this.lookups.values()].map((view) => view.stop()));
      await Promise.allSettled([...this.standby.values()].map((table) => table.close()));
      this.standby.clear();
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
    const create = kafka.createTransactionalProducer?.bind(kafka);
    if (create === undefined) throw new ProcessorError(processorNoTransactions(this.group, kafka.name), this.group);
    const transactionalId = this.options.transactionalId ?? defaultTransactionalId(clientId);
    const options = {
      clientId,
      compression: this.compression,
      transactionalId,
      ...(this.options.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: this.options.transactionTimeoutMs }),
    };
    const committer = new TransactionCommitter(() => create(options), this.logger, (error) => this.transactionFailed(error));
    this.committer = committer;
    return committer;
  }

  /**
   * A transaction failed: its records are invisible to read_committed readers and its offsets were
   * not committed. A failure that ends only the transaction makes the instance process again from
   * the committed offsets; any other stops the processor.
   */
  private transactionFailed(error: unknown): void {
    if (!isTransactionFailure(error)) return;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.logger.warn(processorTransactionAborted(this.group, reason), { error });
    this.membership?.abort();
  }

  /**
   * The group-table value of `key` from local storage, if this instance holds the key's partition.
   * @throws ProcessorError for a stateless processor or a partition held elsewhere
   */
  async get(key: string): Promise<V | undefined> {
    const table = this.graph.groupTable();
    if (table === undefined) throw new ProcessorError(processorStateless(this.group, 'get a value'), this.group);
    const partition = partitionFor(key, Math.max(1, this.partitionCount), this.hasher);
    const worker = this.partitions.get(partition);
    const standby = this.standby.get(partition);
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
    const topics = this.consumedTopics();
    await this.refreshHighWatermarks(topics, workers.map((worker) => worker.partition), options.maxHighWatermarkAgeMs ?? 0);
    const active = workers.map((worker): PartitionProcessorStats => {
      const input: Record<string, PartitionInputStats> = {};
      for (const topic of topics) {
        const consumed = worker.counters.input.get(topic);
        const lastOffset = consumed?.lastOffset ?? -1;
        const committed = worker.committed(topic);
        const next = lastOffset >= 0 ? lastOffset + 1 : committed;
        // A mark older than what was consumed since (see maxHighWatermarkAgeMs) is at least `next`.
        const known = this.hwms.get(`${topic}/${worker.partition}`);
        const hwm = known === undefined || next === undefined ? known : Math.max(known, next);
        const lag = hwm === undefined || next === undefined ? undefined : Math.max(0, hwm - next);
        input[topic] = { count: consumed?.count ?? 0, bytes: consumed?.bytes ?? 0, lastOffset, committed, hwm, lag };
      }
      const table = this.tables.get(worker)?.find((t) => t.topic === this.graph.tableTopic)?.stats();
      return {
        partition: worker.partition,
        mode: 'active',
        state: worker.state,
        input,
        output: Object.fromEntries([...worker.counters.output].map(([topic, stats]) => [topic, { ...stats }])),
        callbackErrors: worker.counters.callbackErrors,
        errorPolicy: { retried: worker.counters.retried, skipped: worker.counters.skipped, deadLettered: worker.counters.deadLettered },
        recovery: this.graph.groupTable() === undefined ? undefined : table?.recovery,
        table,
      };
    });
    const standby = [...this.standby.values()].map((table): PartitionProcessorStats => {
      const stats = table.stats();
      return {
        partition: table.partition,
        mode: 'standby',
        state: table.state === 'running' ? 'running' : 'recovering',
        input: {},
        output: {},
        callbackErrors: 0,
        errorPolicy: { retried: 0, skipped: 0, deadLettered: 0 },
        recovery: stats.recovery,
        table: stats,
      };
    });
    return {
      group: this.group,
      state: this.state,
      commits: { ...this.commitStats },
      guarantee: this.exactlyOnce ? 'exactly-once' : 'at-least-once',
      ...(this.committer === undefined ? {} : { transactions: this.committer.stats() }),
      callbackErrors: this.callbackErrors,
      errorPolicy: { ...this.policyStats },
      partitions: [...active, ...standby].sort((a, b) => a.partition - b.partition),
      lookups: Object.fromEntries([...this.lookups].map(([topic, view]) => [topic, view.stats()])),
    };
  }

  /** The topics the group consumes: inputs and the loop. */
  private consumedTopics(): string[] {
    const topics = this.graph.inputStreams().map((edge) => edge.topic);
    if (this.graph.loopStream() !== undefined) topics.push(this.graph.loopTopic);
    return [...new Set(topics)];
  }

  /**
   * Asks Kafka for the high-water marks of `partitions` of `topics` unless all are younger than
   * `maxAgeMs`; keeps the last known ones on failure.
   */
  private async refreshHighWatermarks(topics: readonly string[], partitions: readonly number[], maxAgeMs: number): Promise<void> {
    const admin = this.admin;
    if (admin === undefined || partitions.length === 0) return;
    const now = performance.now();
    const fresh = (key: string): boolean => now - (this.hwmsAt.get(key) ?? -Infinity) < maxAgeMs;
    if (maxAgeMs > 0 && topics.every((topic) => partitions.every((partition) => fresh(`${topic}/${partition}`)))) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STATS_HWM_TIMEOUT_MS);
    });
    const asking = Promise.all(
      topics.map(async (topic) => {
        const offsets = await admin.offsets(topic, partitions);
        const at = performance.now();
        offsets.forEach(({ hwm }, index) => {
          const key = `${topic}/${partitions[index] ?? -1}`;
          this.hwms.set(key, hwm);
          this.hwmsAt.set(key, at);
        });
      }),
    ).catch((error: unknown) => {
      this.logger.debug(processorStatsNoHighWatermarks(this.group, error instanceof Error ? error.message : String(error)));
    });
    try {
      await Promise.race([asking, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `adapterDefault`: the adapter's `createTopics`, used when the processor's own is not set. */
  private async prepareTopics(admin: KafkaAdmin, adapterDefault: TopicCreateSpec | undefined): Promise<void> {
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
    const consumed = this.consumedTopics();
    const policies = [this.options.onError, ...consumed.map((topic) => this.graph.errorPolicy(topic))];
    return [...new Set(policies.flatMap((policy) => deadLetterTopics(policy, this.group)))];
  }

  /** Ensures dead-letter `topic` (created with the group's partition count) and returns its partition count. */
  private deadLetterPartitions(topic: string): Promise<number> {
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

  private async startLookups(kafka: KafkaAdapter): Promise<void> {
    for (const edge of this.graph.lookupTables()) {
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
      topics: this.consumedTopics(),
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
    let commitTimer: NodeJS.Timeout | undefined;
    // A run can end without a last `revoked` (a crashed member): the timer must not outlive it.
    this.controller.signal.addEventListener('abort', () => clearInterval(commitTimer), { once: true });
    // A refused commit (the group moved on, e.g. after an outage longer than the session timeout)
    // or one that could not reach Kafka only means those messages may be delivered again:
    // at-least-once, as in Goka. Offsets count as committed only once Kafka accepted them, so a
    // failed commit is sent again with the next one.
    const commit = async (session: GroupSession): Promise<void> => {
      if (producer instanceof TransactionCommitter) return this.commitTransaction(producer, session);
      const workers = [...this.partitions.values()];
      const offsets = workers.flatMap((worker) => worker.commitOffsets());
      if (offsets.length === 0) return;
      const started = performance.now();
      try {
        await session.commit(offsets);
        for (const worker of workers) worker.markCommitted(offsets);
        const latency = performance.now() - started;
        this.commitStats.count += 1;
        this.commitStats.totalLatencyMs += latency;
        this.commitStats.lastLatencyMs = latency;
      } catch (error) {
        this.commitStats.failed += 1;
        if (error instanceof CommitFailedError) {
          this.logger.warn('commit refused: the group rebalanced; those messages will be processed again', {
            generation: session.generation,
          });
          return;
        }
        if (error instanceof KafkaConnectionError) {
          this.logger.warn(processorCommitFailed(this.group, error.message), { generation: session.generation });
          return;
        }
        throw error;
      }
    };
    // One commit at a time: while Kafka is unreachable a commit retries, and the timer must not pile up more.
    let committing: Promise<void> | undefined;
    const commitInBackground = (session: GroupSession): void => {
      if (committing !== undefined) return;
      committing = commit(session)
        .catch((error: unknown) => this.logger.warn('commit failed', { error }))
        .finally(() => {
          committing = undefined;
        });
    };
    return {
      assigned: async (session) => {
        // A transaction failed between generations: abort it before anything of this one is sent.
        if (producer instanceof TransactionCommitter && producer.failed !== undefined) await producer.reset();
        this.sessionSignal = session.signal;
        this.signalState.set('setup');
        const partitions = assignedPartitions(session.assignment, this.group);
        this.options.rebalanceCallback?.(session.assignment);
        await this.releaseStandby(partitions);
        await Promise.all(partitions.map((partition) => this.openPartition(partition, admin, reader, producer, session.signal)));
        for (const worker of this.partitions.values()) worker.phase = 'running';
        this.startStandby(partitions, admin, reader);
        this.signalState.set('running');
        const interval = this.options.commitIntervalMs ?? (this.exactlyOnce ? 100 : 1000);
        clearInterval(commitTimer);
        commitTimer = setInterval(() => commitInBackground(session), interval);
        commitTimer.unref();
      },
      batch: async (session, topic, partition, messages) => {
        const worker = this.partitions.get(partition);
        if (worker === undefined) throw new ProcessorError(processorMissingPartition(this.group, partition), this.group);
        await worker.process(topic, messages, session.signal);
      },
      revoked: async (session) => {
        clearInterval(commitTimer);
        const workers = [...this.partitions.values()];
        for (const worker of workers) worker.phase = 'stopping';
        await Promise.all(workers.map((worker) => worker.drain()));
        await committing;
        if (producer instanceof TransactionCommitter && producer.failed !== undefined) {
          // Nothing of the failed transaction is committed: abort it before the partitions go to others.
          await producer.reset();
        } else {
          await commit(session);
        }
        this.partitions.clear();
        await Promise.all(workers.map((worker) => this.closePartition(worker)));
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
    const graph = this.graph;
    const tableOf = (topic: string): PartitionTable => this.tableOf(topic, partition, admin, reader);
    const table = graph.groupTable() === undefined ? undefined : tableOf(graph.tableTopic);
    const joins = new Map(graph.jointTables().map((edge) => [edge.topic, tableOf(edge.topic)]));
    const recovering: Array<Promise<void>> = [];
    if (table !== undefined) recovering.push(table.recover(signal));
    for (const join of joins.values()) {
      join.catchUp(signal, { retry: true }).catch((error: unknown) => this.fail(error));
      recovering.push(join.states.waitFor('running', signal));
    }
    const worker = new PartitionProcessor(partition, this.workerDeps(producer), table, joins);
    this.partitions.set(partition, worker);
    this.tables.set(worker, [...(table === undefined ? [] : [table]), ...joins.values()]);
    await Promise.all(recovering);
  }

  private tableOf(topic: string, partition: number, admin: KafkaAdmin, reader: PartitionReader): PartitionTable {
    return new PartitionTable({
      topic,
      partition,
      admin,
      reader,
      storage: this.storage,
      logger: this.logger,
      updateCallback: this.options.updateCallback,
      ...(this.exactlyOnce ? { isolationLevel: 'read_committed' as const } : {}),
    });
  }

  /**
   * Exactly-once: commits the open transaction with every partition's completed offsets for the
   * session's generation. A failed transaction was aborted (the instance processes again, see
   * {@link transactionFailed}); an error that does not end only the transaction stops the processor.
   */
  private async commitTransaction(committer: TransactionCommitter, session: GroupSession): Promise<void> {
    const workers = [...this.partitions.values()];
    const generation = { groupId: session.groupId, generation: session.generation, memberId: session.memberId };
    const started = performance.now();
    let committed: boolean;
    try {
      committed = await committer.commit(generation, {
        commitOffsets: () => workers.flatMap((worker) => worker.commitOffsets()),
        markCommitted: (offsets) => {
          for (const worker of workers) worker.markCommitted(offsets);
        },
      });
    } catch (error) {
      // Committed, but the local store could not take the transaction's table writes.
      this.fail(error);
      return;
    }
    if (committed) {
      const latency = performance.now() - started;
      this.commitStats.count += 1;
      this.commitStats.totalLatencyMs += latency;
      this.commitStats.lastLatencyMs = latency;
      return;
    }
    this.commitStats.failed += 1;
    const failure = committer.failed;
    if (!isTransactionFailure(failure)) this.fail(failure);
  }

  /**
   * Recovers every partition of the group table and of the joined tables once and closes them again
   * (Goka's recover-ahead: its recover-only partition processors recover the table and the joins).
   */
  private async recoverAhead(admin: KafkaAdmin, reader: PartitionReader): Promise<void> {
    const topics = [
      ...(this.graph.groupTable() === undefined ? [] : [this.graph.tableTopic]),
      ...this.graph.jointTables().map((edge) => edge.topic),
    ];
    const tables = topics.flatMap((topic) =>
      Array.from({ length: this.partitionCount }, (_, partition) => this.tableOf(topic, partition, admin, reader)),
    );
    try {
      await Promise.all(tables.map((table) => table.recover(this.controller.signal)));
    } finally {
      await Promise.allSettled(tables.map((table) => table.close()));
    }
  }

  /** Closes the standby copies of partitions that become active (their storage is reopened). */
  private async releaseStandby(active: readonly number[]): Promise<void> {
    const released = active.flatMap((partition) => {
      const table = this.standby.get(partition);
      this.standby.delete(partition);
      return table === undefined ? [] : [table];
    });
    await Promise.all(released.map((table) => table.close()));
  }

  /** Starts catching up every table partition that is not active here (hot standby). */
  private startStandby(active: readonly number[], admin: KafkaAdmin, reader: PartitionReader): void {
    if (this.options.hotStandby !== true || this.graph.groupTable() === undefined) return;
    for (let partition = 0; partition < this.partitionCount; partition++) {
      if (active.includes(partition) || this.standby.has(partition)) continue;
      const table = this.tableOf(this.graph.tableTopic, partition, admin, reader);
      this.standby.set(partition, table);
      table.catchUp(this.controller.signal, { retry: true }).catch((error: unknown) => this.fail(error));
    }
  }

  private async closePartition(worker: PartitionProcessor): Promise<void> {
    const tables = this.tables.get(worker) ?? [];
    this.tables.delete(worker);
    await Promise.all(tables.map((table) => table.close()));
  }

  private workerDeps(producer: KafkaProducer | TransactionCommitter): ConstructorParameters<typeof PartitionProcessor>[1] {
    const graph = this.graph;
    const persist = graph.groupTable();
    const loop = graph.loopStream();
    return {
      graph: graph as GroupGraph<ProcessContext<unknown>>,
      producer,
      nilHandling: this.options.nilHandling ?? 'ignore',
      contextWrapper: this.options.contextWrapper,
      logger: this.logger,
      onAsyncError: (error: ProcessingError) => this.fail(error),
      onCallbackError: () => {
        this.callbackErrors += 1;
      },
      onPolicy: (outcome) => {
        this.policyStats[outcome] += 1;
      },
      errorPolicy: (topic): ErrorPolicy => graph.errorPolicy(topic) ?? this.options.onError ?? 'fail',
      deadLetterPartitions: (topic) => this.deadLetterPartitions(topic),
      budget: this.budget,
      produceRetry: {
        timeoutMs: this.options.produceRetry?.timeoutMs ?? Number.POSITIVE_INFINITY,
        initialMs: this.options.produceRetry?.initialMs ?? 100,
        maxMs: this.options.produceRetry?.maxMs ?? 5_000,
      },
      host: {
        group: this.group,
        partitionCount: this.partitionCount,
        tableTopic: persist === undefined ? undefined : graph.tableTopic,
        tableCodec: persist?.codec as Codec<unknown> | undefined,
        loopTopic: loop === undefined ? undefined : graph.loopTopic,
        loopCodec: loop?.codec as Codec<unknown> | undefined,
        defaultHeaders: this.options.defaultHeaders,
        outputCodec: (topic) => (graph.isOutput(topic) ? graph.codec(topic) : undefined),
        outputPartition: (topic, key) => partitionFor(key, this.outputPartitions.get(topic) ?? 1, this.hasher),
        loopPartition: (key) => partitionFor(key, this.partitionCount, this.hasher),
        joinCodec: (table) => (graph.isJoined(table) ? graph.codec(table) : undefined),
        lookup: (table, key) => this.lookups.get(table)?.get(key),
      },
    };
  }
}

/** The partitions of an assignment; every topic must have the same ones (Goka's copartitioning). */
function assignedPartitions(assignment: Assignment, group: string): number[] {
  let partitions: number[] | undefined;
  for (const ids of assignment.values()) {
    const sorted = [...ids].sort((a, b) => a - b);
    if (partitions === undefined) partitions = sorted;
    else if (sorted.join(',') !== partitions.join(',')) throw new GokaError(claimsNotCopartitioned(group));
  }
  return partitions ?? [];
}
