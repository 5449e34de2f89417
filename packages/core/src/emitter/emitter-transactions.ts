import { GokaError } from '../errors/goka-error.js';
import { ProducerFencedError } from '../errors/kafka-error.js';
import { adapterOf } from '../kafka/connection.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { Headers, OutgoingMessage, ProducedOffset } from '../kafka/message.js';
import { isRetriableProduceError } from '../kafka/retriable-produce-error.js';
import type { TransactionalProducer } from '../kafka/transaction.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { defaultTransactionalId } from '../util/transactional-id.js';
import { sleep } from '../util/sleep.js';
import type { ResolvedEmitterOptions } from './emitter-options.js';
import { fetchPartitionCount } from './topic-partitions.js';

/** A record of an emitter transaction: encoded, its partition not yet chosen. */
export interface TransactionRecord {
  readonly key: string;
  readonly value: Buffer | null;
  readonly headers: Headers | undefined;
}

/**
 * The transactions of one emitter: a transactional producer (created at the first transaction, with
 * the emitter's `transactionalId`), one transaction at a time. A transaction that fails with a
 * retriable error (the broker restarting, a coordinator moving) is aborted and sent again in a new
 * transaction — never twice visible — until `deliveryTimeoutMs` passed; a fenced producer (another
 * emitter with the same transactional id) is not retried.
 */
export class EmitterTransactions {
  private producer: TransactionalProducer | undefined;
  private kafka: KafkaAdapter | undefined;
  private partitionCount: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly transactionalId: string;

  constructor(
    private readonly topic: string,
    private readonly settings: ResolvedEmitterOptions,
  ) {
    this.transactionalId = settings.transactionalId ?? defaultTransactionalId(settings.clientId);
  }

  /** Writes `records` in one transaction, after the transactions asked for before; resolves with their offsets. */
  commit(records: readonly TransactionRecord[]): Promise<ProducedOffset[]> {
    const run = this.queue.then(() => this.commitWithRetries(records));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for the transactions under way and closes the producer (an open transaction is aborted). */
  async close(): Promise<void> {
    await this.queue;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }

  private async commitWithRetries(records: readonly TransactionRecord[]): Promise<ProducedOffset[]> {
    const { deliveryTimeoutMs, retryBackoffMs, maxRetryBackoffMs, logger } = this.settings;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.commitOnce(records);
      } catch (error) {
        // The failed transaction is aborted (or was, by the broker); a new producer starts clean.
        await this.dropProducer();
        const retriable = !(error instanceof ProducerFencedError) && isRetriableProduceError(error);
        const elapsed = Date.now() - started;
        if (!retriable || elapsed >= deliveryTimeoutMs) throw error;
        const waitMs = Math.min(maxRetryBackoffMs, retryBackoffMs * 2 ** Math.min(attempt, 30));
        logger.warn(`transaction of ${records.length} record(s) to "${this.topic}" failed; sending it again in ${waitMs} ms: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(waitMs);
      }
    }
  }

  private async commitOnce(records: readonly TransactionRecord[]): Promise<ProducedOffset[]> {
    const producer = await this.connected();
    const partitions = this.partitionCount ?? 1;
    const outgoing = records.map((record): OutgoingMessage => {
      const partition = partitionFor(record.key, partitions, this.settings.hasher);
      const base = { topic: this.topic, partition, key: Buffer.from(record.key, 'utf8'), value: record.value };
      return record.headers === undefined ? base : { ...base, headers: record.headers };
    });
    const transaction = producer.begin();
    try {
      const offsets = outgoing.length === 0 ? [] : await transaction.send(outgoing);
      await transaction.commit();
      return offsets;
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  private async connected(): Promise<TransactionalProducer> {
    if (this.producer !== undefined) return this.producer;
    const { clientId, compression, logger } = this.settings;
    if (this.kafka === undefined) {
      const source = adapterOf(this.settings.kafka);
      this.kafka = source instanceof Promise ? await source : source;
    }
    const create = this.kafka.createTransactionalProducer?.bind(this.kafka);
    if (create === undefined) {
      throw new GokaError('GOKA_TRANSACTIONS_UNSUPPORTED', `emitter for topic "${this.topic}": the Kafka adapter "${this.kafka.name}" has no transactions (createTransactionalProducer)`);
    }
    this.partitionCount ??= await fetchPartitionCount(this.kafka, this.topic, clientId, logger);
    const producer = create({
      clientId,
      compression,
      transactionalId: this.transactionalId,
      ...(this.settings.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: this.settings.transactionTimeoutMs }),
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
