import { CommitFailedError, culpritOf, GokaError, ProduceFailedError, ProducerFencedError } from '@goka/core/kafka';
import type { CommitOffset, CompressionType, GroupGeneration, OutgoingMessage, Transaction, TransactionalProducer } from '@goka/core/kafka';
import { sleep } from '../util.js';
import { isRetriableKafkaError } from '../kafkajs-errors.js';
import { kafkaErrorFromCode, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawCluster } from '../kafkajs-internals.js';
import { decodeProduceResponse, encodeProduceRequest } from '../protocol/produce-request.js';
import type { ProducePartitionResult } from '../protocol/produce-request.js';
import { ProducerSequences } from '../producer/producer-sequences.js';
import type { BatchSequence, ProducerIdentity } from '../producer/producer-sequences.js';
import { ADD_OFFSETS_TO_TXN, decodeAddOffsetsToTxnResponse, encodeAddOffsetsToTxnRequest } from './add-offsets-to-txn-request.js';
import { ADD_PARTITIONS_TO_TXN, decodeAddPartitionsToTxnResponse, encodeAddPartitionsToTxnRequest } from './add-partitions-to-txn-request.js';
import type { TxnPartitionResult } from './add-partitions-to-txn-request.js';
import { CoordinatorClient } from './coordinator-client.js';
import { decodeEndTxnResponse, encodeEndTxnRequest, END_TXN } from './end-txn-request.js';
import { decodeInitProducerIdResponse, encodeInitProducerIdRequest, INIT_PRODUCER_ID } from './init-producer-id-request.js';
import { KafkajsTransaction } from './kafkajs-transaction.js';
import type { Part, TransactionProducer } from './kafkajs-transaction.js';
import { TransactionCodeError, transactionErrorKind } from './transaction-errors.js';
import { decodeTxnOffsetCommitResponse, encodeTxnOffsetCommitRequest, TXN_OFFSET_COMMIT } from './txn-offset-commit-request.js';

/** Kafka's API key of Produce, and the versions {@link encodeProduceRequest} writes (3+ carry the transactional id). */
const PRODUCE_API_KEY = 0;
const MIN_PRODUCE_VERSION = 3;
const MAX_PRODUCE_VERSION = 7;
/** Most estimated bytes of one partition's batch in one Produce request (as the idempotent producer). */

/** Settings of a {@link KafkajsTransactionalProducer}. */
export interface KafkajsTransactionalSettings {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  readonly compression: CompressionType;
  /** How long the broker may wait for the replicas of a Produce, ms. */
  readonly timeoutMs: number;
  /** Retries of a failing partition of a send before it rejects. */
  readonly retries: number;
  /** First backoff of a failing Produce, ms, doubling up to {@link maxRetryMs}. */
  readonly initialRetryMs: number;
  readonly maxRetryMs: number;
  /** How long coordinator requests are retried (CONCURRENT_TRANSACTIONS, a coordinator moving), ms. */
  readonly coordinatorTimeoutMs: number;
}



/** The first non-zero error code of per-partition results (0: none). */
const firstError = (results: readonly TxnPartitionResult[]): number => results.find((result) => result.errorCode !== 0)?.errorCode ?? 0;

/**
 * A {@link TransactionalProducer} on kafkajs' connections, with the transaction protocol v1 of KIP-98
 * and KIP-447 (explicit AddPartitionsToTxn; the epoch holds across transactions, so sequence numbers
 * go on from one transaction to the next):
 *
 * - `connect`: FindCoordinator (transaction) and InitProducerId with the transactional id and the
 *   transaction timeout: takes the id's producer id with a bumped epoch, fencing older producers.
 * - `send`: AddPartitionsToTxn for each partition new to the transaction, then Produce (our own
 *   encoding, one transactional record batch per partition, with sequence numbers) to the leaders.
 * - `sendOffsets`: AddOffsetsToTxn to the transaction coordinator, then TxnOffsetCommit (with the
 *   generation and member id) to the group coordinator.
 * - `commit` / `abort`: EndTxn; an empty transaction ends without a request.
 *
 * A fenced producer (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, ... from any request) rejects every later
 * call with {@link ProducerFencedError}. A send that failed leaves the transaction abortable only: its
 * `commit` rejects; after its abort the producer starts over with a bumped epoch (InitProducerId with
 * its producer id and epoch, KIP-360: fails as fenced when another producer took the id meanwhile), so
 * that sequence numbers start again at 0 and no batch of uncertain fate can leave a gap.
 */
export class KafkajsTransactionalProducer implements TransactionalProducer, TransactionProducer {
  private connected: Promise<void> | undefined;
  private identity: ProducerIdentity | undefined;
  private readonly sequences: ProducerSequences;
  private readonly coordinators: CoordinatorClient;
  private readonly knownTopics = new Set<string>();
  private current: KafkajsTransaction | undefined;
  private fencedBy: ProducerFencedError | undefined;
  /** The last transaction had a failed send: the next begins after an epoch bump. */
  private mustBumpEpoch = false;
  private closed = false;

  constructor(
    private readonly cluster: RawCluster,
    readonly settings: KafkajsTransactionalSettings,
  ) {
    this.sequences = new ProducerSequences(() => this.currentIdentity());
    this.coordinators = new CoordinatorClient(cluster, {
      timeoutMs: settings.coordinatorTimeoutMs,
      initialMs: Math.min(20, settings.initialRetryMs),
      maxMs: Math.min(1000, settings.maxRetryMs),
    });
  }

  get transactionalId(): string {
    return this.settings.transactionalId;
  }

  connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.cluster.connect();
      await this.cluster.refreshMetadata();
      this.identity = await this.initProducerId(undefined);
    })().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  begin(): Transaction {
    if (this.fencedBy !== undefined) throw this.fencedBy;
    if (this.closed) throw new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" is disconnected`);
    if (this.current !== undefined && !this.current.ended) {
      throw new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" has a transaction open: commit or abort it first`);
    }
    const transaction = new KafkajsTransaction(this);
    this.current = transaction;
    return transaction;
  }

  async disconnect(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = this.current;
    if (open !== undefined && !open.ended) await open.abort().catch(() => undefined);
    const connected = this.connected;
    this.connected = undefined;
    if (connected === undefined) return;
    await connected.catch(() => undefined);
    await this.cluster.disconnect();
  }

  // ---- used by KafkajsTransaction ----

  /** Throws the fencing error once fenced. */
  checkNotFenced(): void {
    if (this.fencedBy !== undefined) throw this.fencedBy;
  }

  /**
   * Before the first request of a transaction: connected, and after a failed transaction the epoch
   * bumped (see the class comment).
   */
  async ready(): Promise<ProducerIdentity> {
    this.checkNotFenced();
    if (this.connected === undefined) throw new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" is not connected`);
    await this.connected;
    if (this.mustBumpEpoch) {
      this.identity = await this.initProducerId(this.identity);
      this.mustBumpEpoch = false;
    }
    return this.currentIdentity();
  }

  /** The transaction had a failed send: the producer starts over with a new epoch before the next one. */
  needEpochBump(): void {
    this.mustBumpEpoch = true;
  }

  /** Turns a fencing error of a request into {@link ProducerFencedError} (remembered); other errors pass. */
  fenceOn(error: unknown): unknown {
    if (error instanceof ProducerFencedError) {
      this.fencedBy ??= error;
      return this.fencedBy;
    }
    if (!(error instanceof TransactionCodeError) || error.kind !== 'fenced') return error;
    this.fencedBy ??= new ProducerFencedError(this.transactionalId, error.message, { cause: error });
    return this.fencedBy;
  }

  /** Adds partitions to the open transaction (AddPartitionsToTxn). */
  async addPartitions(identity: ProducerIdentity, partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const body = encodeAddPartitionsToTxnRequest({
      transactionalId: this.transactionalId,
      ...identity,
      topics: [...byTopic].map(([topic, ids]) => ({ topic, partitions: ids })),
    });
    await this.coordinators.call({ transactionalId: this.transactionalId }, ADD_PARTITIONS_TO_TXN, body, decodeAddPartitionsToTxnResponse, firstError);
  }

  /** AddOffsetsToTxn for `groupId`, then TxnOffsetCommit of `offsets` to its coordinator. */
  async addOffsets(identity: ProducerIdentity, generation: GroupGeneration, offsets: readonly CommitOffset[], addGroup: boolean): Promise<void> {
    const { groupId } = generation;
    if (addGroup) {
      const body = encodeAddOffsetsToTxnRequest({ transactionalId: this.transactionalId, ...identity, groupId });
      await this.coordinators.call({ transactionalId: this.transactionalId }, ADD_OFFSETS_TO_TXN, body, decodeAddOffsetsToTxnResponse, (code) => code);
    }
    const byTopic = new Map<string, Array<{ partition: number; offset: number }>>();
    for (const { topic, partition, offset } of offsets) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    const body = encodeTxnOffsetCommitRequest({
      transactionalId: this.transactionalId,
      groupId,
      ...identity,
      generationId: generation.generation,
      memberId: generation.memberId,
      groupInstanceId: null,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
    try {
      await this.coordinators.call({ groupId }, TXN_OFFSET_COMMIT, body, decodeTxnOffsetCommitResponse, firstError);
    } catch (error) {
      if (error instanceof TransactionCodeError && error.kind === 'generation') {
        throw new CommitFailedError(groupId, generation.generation, { cause: error });
      }
      throw error;
    }
  }

  /** EndTxn: commits or aborts the open transaction. */
  async endTransaction(identity: ProducerIdentity, committed: boolean): Promise<void> {
    const body = encodeEndTxnRequest({ transactionalId: this.transactionalId, ...identity, committed });
    await this.coordinators.call({ transactionalId: this.transactionalId }, END_TXN, body, decodeEndTxnResponse, (code) => code);
  }

  /** Makes the cluster's metadata cover every topic of `records`. */
  async knowTopics(records: readonly OutgoingMessage[]): Promise<void> {
    const missing = [...new Set(records.map((record) => record.topic))].filter((topic) => !this.knownTopics.has(topic));
    if (missing.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cluster.addMultipleTargetTopics(missing);
        break;
      } catch (error) {
        if (!isRetriableKafkaError(error) || attempt >= this.settings.retries) throw error;
        await sleep(this.backoff(attempt));
      }
    }
    for (const topic of missing) this.knownTopics.add(topic);
  }

  /** Holds the partitions (sequence order) until the returned function is called. */
  lock(keys: readonly string[]): Promise<() => void> {
    return this.sequences.lock(keys);
  }

  assign(key: string, count: number, identity: ProducerIdentity): BatchSequence {
    return this.sequences.assign(key, count, identity);
  }

  /**
   * Produces `parts` (each with its sequence) to their leaders, retrying failed partitions with the
   * same sequence (the broker writes a batch it has seen once); fills `offsets`.
   */
  async produce(parts: readonly Part[], records: readonly OutgoingMessage[], offsets: number[]): Promise<void> {
    let pending = parts;
    for (let attempt = 0; ; attempt++) {
      const failures: Array<{ part: Part; error: unknown }> = [];
      const byLeader = new Map<string, Part[]>();
      for (const part of pending) {
        const leader = this.leaderOf(part.topic, part.partition);
        if (leader === undefined) {
          failures.push({ part, error: Object.assign(new Error('no leader is known for this partition'), { retriable: true }) });
          continue;
        }
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), part]);
      }
      await Promise.all(
        [...byLeader].map(async ([nodeId, leaderParts]) => {
          try {
            const results = await this.produceRequest(nodeId, leaderParts, records);
            for (const part of leaderParts) {
              const result = results.find((r) => r.topic === part.topic && r.partition === part.partition);
              if (result === undefined) failures.push({ part, error: Object.assign(new Error('the broker answered without this partition'), { retriable: true }) });
              else if (result.errorCode !== 0) failures.push({ part, error: this.produceError(result.errorCode) });
              else part.indexes.forEach((index, position) => (offsets[index] = result.baseOffset + position));
            }
          } catch (error) {
            for (const part of leaderParts) failures.push({ part, error });
          }
        }),
      );
      if (failures.length === 0) return;
      const fenced = failures.find(({ error }) => error instanceof TransactionCodeError && error.kind === 'fenced');
      const fatal = fenced ?? failures.find(({ error }) => !isRetriableKafkaError(error));
      const failed = fatal ?? (failures[0] as { part: Part; error: unknown });
      if (fatal !== undefined || attempt >= this.settings.retries) {
        if (fenced !== undefined) throw this.fenceOn(fenced.error);
        const { record, key, bytes } = culpritOf(records, failed.part.indexes, failed.error);
        // Out of retries on a transient failure (a broker restarting): retriable, so that the
        // transaction fails, aborts and is processed again; only a refusal fails its processor.
        throw new ProduceFailedError(record.topic, record.partition, {
          cause: failed.error,
          retriable: fatal === undefined,
          key,
          recordBytes: bytes,
          acknowledgedOffsets: [...offsets],
        });
      }
      await sleep(this.backoff(attempt));
      await this.cluster.refreshMetadata().catch(() => undefined);
      pending = failures.map(({ part }) => part);
    }
  }

  private produceError(code: number): Error {
    const error = kafkaErrorFromCode(code);
    const kind = transactionErrorKind(code);
    // A partition's own retriable errors (leader moved, ...) keep kafkajs' flag; the fencing ones are typed.
    return kind === 'fenced' ? new TransactionCodeError(code, 'Produce', error) : error;
  }

  private async produceRequest(nodeId: string, parts: readonly Part[], records: readonly OutgoingMessage[]): Promise<ProducePartitionResult[]> {
    const broker = await this.cluster.findBroker({ nodeId });
    const version = negotiatedVersion(broker, PRODUCE_API_KEY, MIN_PRODUCE_VERSION, MAX_PRODUCE_VERSION);
    if (version === undefined) throw new Error(`the broker supports no Produce version from ${MIN_PRODUCE_VERSION} to ${MAX_PRODUCE_VERSION}`);
    const body = encodeProduceRequest({
      acks: -1,
      timeoutMs: this.settings.timeoutMs,
      compression: this.settings.compression,
      transactionalId: this.transactionalId,
      partitions: parts.map((part) => ({
        topic: part.topic,
        partition: part.partition,
        records: part.indexes.map((index) => records[index] as OutgoingMessage),
        sequence: part.sequence,
      })),
    });
    return sendRawRequest(broker, {
      apiKey: PRODUCE_API_KEY,
      apiVersion: version,
      apiName: 'Produce',
      body,
      decode: (payload) => decodeProduceResponse(version, payload),
    });
  }

  private leaderOf(topic: string, partition: number): string | undefined {
    try {
      return Object.keys(this.cluster.findLeaderForPartitions(topic, [partition]))[0];
    } catch {
      return undefined;
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.settings.maxRetryMs, this.settings.initialRetryMs * 2 ** attempt);
  }

  private currentIdentity(): Promise<ProducerIdentity> {
    if (this.identity === undefined) return Promise.reject(new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" has no producer id`));
    return Promise.resolve(this.identity);
  }

  /**
   * InitProducerId: `previous` undefined on connect (fences older producers), else the current id and
   * epoch to bump (KIP-360). A new identity object: sequence numbers of every partition start at 0.
   */
  private async initProducerId(previous: ProducerIdentity | undefined): Promise<ProducerIdentity> {
    const body = encodeInitProducerIdRequest({
      transactionalId: this.transactionalId,
      transactionTimeoutMs: this.settings.transactionTimeoutMs,
      producerId: previous?.producerId ?? -1,
      producerEpoch: previous?.producerEpoch ?? -1,
    });
    try {
      const answer = await this.coordinators.call(
        { transactionalId: this.transactionalId },
        INIT_PRODUCER_ID,
        body,
        decodeInitProducerIdResponse,
        (response) => response.errorCode,
      );
      return { producerId: answer.producerId, producerEpoch: answer.producerEpoch };
    } catch (error) {
      throw this.fenceOn(error);
    }
  }
}
