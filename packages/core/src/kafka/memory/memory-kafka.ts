import type { TopicDescription } from '../admin.js';
import type { ClientOptions, KafkaAdapter, ReaderOptions } from '../kafka-adapter.js';
import type { IsolationLevel, TransactionalProducerOptions } from '../transaction.js';
import type { ConsumerGroupOptions } from '../consumer-group.js';
import type { KafkaMessage, OutgoingMessage, PartitionOffsets, ProducedOffset } from '../message.js';
import { PartitionNotFoundError, ProduceFailedError, TopicNotFoundError } from '../../errors/kafka-error.js';
import { MemoryActivity } from './memory-activity.js';
import { MemoryAdmin } from './memory-admin.js';
import { MemoryConsumerGroup } from './memory-consumer-group.js';
import { MemoryGroupCoordinator } from './memory-group-coordinator.js';
import type { LogTransaction, MemoryPartitionLog } from './memory-partition-log.js';
import { MemoryProducer } from './memory-producer.js';
import { MemoryReader } from './memory-reader.js';
import { MemoryTopic } from './memory-topic.js';
import { MemoryTransactionalProducer } from './memory-transaction.js';
import type { MemoryTransaction } from './memory-transaction.js';
import { checkMessageSizes } from './memory-message-size.js';
import { isRetriableError } from '../retriable-produce-error.js';
import { creationOptions } from '../../topic/topic-creation.js';
import type { TopicCreateSpec } from '../../topic/topic-creation.js';

/** Options of {@link MemoryKafka.createTopic}. */
export interface MemoryTopicOptions {
  /** @default 1 */
  readonly partitions?: number;
  /**
   * Topic configs such as `cleanup.policy` (kept and reported, not enforced), except
   * `max.message.bytes`: a record whose key, value and header bytes exceed it is refused like Kafka
   * refuses it (MESSAGE_TOO_LARGE), and the send fails naming that record. @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
}

/** Options of {@link MemoryKafka}. */
export interface MemoryKafkaOptions {
  /**
   * Create missing topics: every processor and emitter on this Kafka that does not set its own
   * `createTopics` / `createTopic` creates its missing inputs, outputs and emitter topics with these
   * settings and the copartitioning rule (`true` is `{}`: one partition unless a copartitioned
   * sibling exists). Group tables and loops are created in any case; joined tables never.
   * @default false (a missing topic fails, as on a broker without auto-creation)
   */
  readonly createTopics?: boolean | TopicCreateSpec;
}

/**
 * Decides whether a send fails: return an error to reject the whole send (nothing is written),
 * or `undefined` to let it through. Tests use it to simulate broker failures. The send rejects with a
 * `ProduceFailedError` caused by the error, retriable when the error is (a `GokaError` by its
 * `retriable` flag, any other error when it is flagged `retriable: true`, as a refused connection).
 */
export type ProduceFault = (records: readonly OutgoingMessage[]) => Error | undefined;

/** Called with every record appended to any topic, in append order. */
export type AppendListener = (message: KafkaMessage) => void;

/**
 * The in-process Kafka adapter: topics with partitions, offsets and high-water marks, null versus
 * empty values, headers and timestamps, compaction and retention on request. It is the embedded
 * default (the sample app without brokers) and the base of `@goka/tester`; production is Apache
 * Kafka through the adapter of `@goka/kafkajs`.
 */
export class MemoryKafka implements KafkaAdapter {
  readonly name = 'memory';
  private readonly topics = new Map<string, MemoryTopic>();
  private fault: ProduceFault | undefined;
  private readonly appendListeners = new Set<AppendListener>();
  private readonly groups = new Map<string, MemoryGroupCoordinator>();
  /** Fencing epoch per client id: producers created before the last {@link fenceClient} fail. */
  private readonly clientEpochs = new Map<string, number>();
  /** Producer epoch per transactional id: connecting a producer with the id fences the older ones. */
  private readonly transactionalEpochs = new Map<string, number>();
  private readonly openTransactions = new Set<MemoryTransaction>();
  private transactionWaiters: Array<() => void> = [];
  /**
   * Testing hook: the consuming work under way (delivery loops, readers, rebalances, setups). Readers
   * and group coordinators register here; use {@link isIdle} and {@link idle}.
   */
  readonly activity = new MemoryActivity();
  /** The `createTopics` option: what components on this Kafka create when they do not choose. */
  readonly createTopics: TopicCreateSpec | undefined;

  /** @throws TopicCreationOptionsError when `createTopics` is unusable */
  constructor(options: MemoryKafkaOptions = {}) {
    this.createTopics = creationOptions(options.createTopics, 'createTopics', 'MemoryKafka');
  }

  /** Creates `topic`; returns `false` (and changes nothing) when it exists. */
  createTopic(topic: string, options: MemoryTopicOptions = {}): boolean {
    if (this.topics.has(topic)) return false;
    this.topics.set(topic, new MemoryTopic(topic, options.partitions ?? 1, { ...options.config }));
    return true;
  }

  describeTopic(topic: string): TopicDescription | undefined {
    return this.topics.get(topic)?.describe();
  }

  /** Names of all topics, sorted. */
  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  topic(topic: string): MemoryTopic {
    const found = this.topics.get(topic);
    if (found === undefined) throw new TopicNotFoundError(topic);
    return found;
  }

  partitionLog(topic: string, partition: number): MemoryPartitionLog {
    const log = this.topic(topic).logs[partition];
    if (log === undefined) throw new PartitionNotFoundError(topic, partition);
    return log;
  }

  /** Oldest offset and high-water mark (with `read_committed`: the last stable offset) of a partition. */
  offsets(topic: string, partition: number, isolation?: IsolationLevel): PartitionOffsets {
    return this.partitionLog(topic, partition).offsets(isolation);
  }

  /**
   * Appends records to their partitions (all or none; inside `transaction` when given) and returns
   * their offsets in input order.
   */
  produce(records: readonly OutgoingMessage[], transaction?: LogTransaction): ProducedOffset[] {
    const logs = records.map((record) => this.partitionLog(record.topic, record.partition));
    checkMessageSizes(records, (topic) => this.topic(topic).config);
    const failure = this.fault?.(records);
    if (failure !== undefined) {
      const first = records[0];
      // The fault decides whether the send is worth retrying (e.g. a connection error flagged `retriable`).
      throw new ProduceFailedError(first?.topic ?? '', first?.partition ?? -1, { cause: failure, retriable: isRetriableError(failure) });
    }
    return records.map((record, index) => {
      const appended = (logs[index] as MemoryPartitionLog).append({
        key: record.key,
        value: record.value,
        headers: record.headers ?? {},
        timestamp: record.timestamp ?? Date.now(),
      }, transaction);
      for (const listener of this.appendListeners) listener(appended);
      return { topic: appended.topic, partition: appended.partition, offset: appended.offset };
    });
  }

  /** Calls `listener` with every record appended from now on; returns the unsubscribe function. */
  onAppend(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /**
   * Up to `max` records of a partition from offset `from` on (transaction markers left out; with
   * `read_committed`, aborted and not yet committed records too).
   */
  read(topic: string, partition: number, from = 0, max = Number.MAX_SAFE_INTEGER, isolation?: IsolationLevel): KafkaMessage[] {
    return this.partitionLog(topic, partition).read(from, max, isolation);
  }

  /** Compacts every partition of `topic` (see {@link MemoryPartitionLog.compact}). */
  compact(topic: string, options: { dropTombstones?: boolean } = {}): void {
    for (const log of this.topic(topic).logs) log.compact(options);
  }

  /** Simulates broker failures for later sends (`undefined` heals). */
  setProduceFault(fault: ProduceFault | undefined): void {
    this.fault = fault;
  }

  createProducer(options?: ClientOptions): MemoryProducer {
    return new MemoryProducer(this, options?.clientId);
  }

  createAdmin(_options?: ClientOptions): MemoryAdmin {
    return new MemoryAdmin(this);
  }

  createReader(options?: ReaderOptions): MemoryReader {
    return new MemoryReader(this, options?.isolationLevel);
  }

  createTransactionalProducer(options: TransactionalProducerOptions): MemoryTransactionalProducer {
    return new MemoryTransactionalProducer(this, options);
  }

  /**
   * @internal Registers a producer of `transactionalId` and returns its epoch: older producers of that
   * id are fenced and their open transaction is aborted (Kafka's InitProducerId).
   */
  registerTransactionalId(transactionalId: string): number {
    const epoch = this.transactionalEpoch(transactionalId) + 1;
    this.transactionalEpochs.set(transactionalId, epoch);
    for (const transaction of this.openTransactions) {
      if (transaction.producer.transactionalId === transactionalId) transaction.fence();
    }
    return epoch;
  }

  /** @internal The current producer epoch of `transactionalId` (0 before any producer registered it). */
  transactionalEpoch(transactionalId: string): number {
    return this.transactionalEpochs.get(transactionalId) ?? 0;
  }

  /** @internal Called by a transaction when it opens and when it ends. */
  transactionOpened(transaction: MemoryTransaction): void {
    this.openTransactions.add(transaction);
  }

  /** @internal */
  transactionEnded(transaction: MemoryTransaction): void {
    this.openTransactions.delete(transaction);
    if (this.openTransactions.size > 0) return;
    const waiters = this.transactionWaiters;
    this.transactionWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Testing hook: whether a transaction is open (its records invisible to read_committed readers). */
  hasOpenTransactions(): boolean {
    return this.openTransactions.size > 0;
  }

  /** Testing hook: resolves once no transaction is open (at once if none is). */
  transactionsEnded(): Promise<void> {
    if (this.openTransactions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.transactionWaiters.push(resolve));
  }

  /** Whether `message` (a record read from this Kafka) was written by a transaction that aborted. */
  isAborted(message: KafkaMessage): boolean {
    return this.partitionLog(message.topic, message.partition).isAborted(message);
  }

  createConsumerGroup(options: ConsumerGroupOptions): MemoryConsumerGroup {
    return new MemoryConsumerGroup(this.group(options.groupId), options);
  }

  /**
   * Testing hook: whether every consumer-group member and every reader has handled everything up to
   * the high-water marks and waits for more, with no rebalance or member setup under way (see
   * {@link MemoryActivity}).
   */
  isIdle(): boolean {
    return this.activity.isIdle();
  }

  /** Testing hook: resolves the next time {@link isIdle} holds (at once if it does now). */
  idle(): Promise<void> {
    return this.activity.whenIdle();
  }

  /**
   * Testing hook: fences client `clientId` (a crashed process): every producer created with that
   * client id so far fails its later sends with a `ProduceFailedError`, so work still in flight in
   * the dead instance writes nothing. Producers created afterwards (a restarted instance) work.
   */
  fenceClient(clientId: string): void {
    this.clientEpochs.set(clientId, this.clientEpoch(clientId) + 1);
    // Its open transactions are aborted, as Kafka does when their timeout passes.
    for (const transaction of this.openTransactions) {
      if (transaction.producer.clientId === clientId) transaction.fence();
    }
  }

  /** @internal The fencing epoch of `clientId` (0 until it is first fenced). */
  clientEpoch(clientId: string): number {
    return this.clientEpochs.get(clientId) ?? 0;
  }

  /** The coordinator of consumer group `groupId` (created on first use): offsets, members, rebalances. */
  group(groupId: string): MemoryGroupCoordinator {
    let coordinator = this.groups.get(groupId);
    if (coordinator === undefined) this.groups.set(groupId, (coordinator = new MemoryGroupCoordinator(this, groupId)));
    return coordinator;
  }
}
