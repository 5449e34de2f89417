import { GokaError } from '../../errors/goka-error.js';
import { CommitFailedError } from '../../errors/group-error.js';
import { ProducerFencedError } from '../../errors/kafka-error.js';
import type { CommitOffset } from '../consumer-group.js';
import type { OutgoingMessage, ProducedOffset } from '../message.js';
import type { GroupGeneration, Transaction, TransactionalProducer, TransactionalProducerOptions } from '../transaction.js';
import type { MemoryKafka } from './memory-kafka.js';
import type { LogTransaction, MemoryPartitionLog } from './memory-partition-log.js';

/**
 * Transactional producer of {@link MemoryKafka}, with Kafka's rules: `connect` registers the
 * transactional id and fences older producers of that id (aborting their open transaction); records
 * are appended at once but `read_committed` readers see them only after `commit`; offsets added with
 * `sendOffsets` are checked against the group's generation and stored on commit. Not emulated: the
 * transaction timeout (a transaction stays open until it ends or its producer is fenced).
 */
export class MemoryTransactionalProducer implements TransactionalProducer {
  readonly transactionalId: string;
  readonly clientId: string | undefined;
  private epoch: number | undefined;
  private clientEpoch = 0;
  private current: MemoryTransaction | undefined;

  constructor(
    private readonly kafka: MemoryKafka,
    options: TransactionalProducerOptions,
  ) {
    this.transactionalId = options.transactionalId;
    this.clientId = options.clientId;
  }

  async connect(): Promise<void> {
    if (this.epoch !== undefined) return;
    this.epoch = this.kafka.registerTransactionalId(this.transactionalId);
    if (this.clientId !== undefined) this.clientEpoch = this.kafka.clientEpoch(this.clientId);
  }

  begin(): Transaction {
    if (this.epoch === undefined) throw new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" is not connected`);
    this.checkFenced();
    if (this.current?.isOpen === true) {
      throw new GokaError('GOKA_TRANSACTION_STATE', `the transactional producer "${this.transactionalId}" has a transaction open: commit or abort it first`);
    }
    this.current = new MemoryTransaction(this.kafka, this);
    return this.current;
  }

  /** @throws ProducerFencedError once a newer producer registered this id or the instance was fenced as crashed. */
  checkFenced(): void {
    if (this.epoch !== undefined && this.kafka.transactionalEpoch(this.transactionalId) !== this.epoch) {
      throw new ProducerFencedError(this.transactionalId, 'a newer producer with the same transactional id connected');
    }
    if (this.clientId !== undefined && this.kafka.clientEpoch(this.clientId) !== this.clientEpoch) {
      throw new ProducerFencedError(this.transactionalId, `its client "${this.clientId}" was fenced (the instance crashed)`);
    }
  }

  async disconnect(): Promise<void> {
    const open = this.current;
    this.current = undefined;
    if (open?.isOpen === true) await open.abort();
  }
}

/** One transaction of a {@link MemoryTransactionalProducer}. */
export class MemoryTransaction implements Transaction {
  readonly log: LogTransaction = { state: 'open' };
  private readonly touched = new Set<MemoryPartitionLog>();
  private readonly offsets: Array<{ readonly generation: GroupGeneration; readonly offsets: readonly CommitOffset[] }> = [];
  private failed: unknown;

  constructor(
    private readonly kafka: MemoryKafka,
    readonly producer: MemoryTransactionalProducer,
  ) {
    kafka.transactionOpened(this);
  }

  get isOpen(): boolean {
    return this.log.state === 'open';
  }

  async send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    this.checkUsable('send');
    try {
      for (const record of records) this.touched.add(this.kafka.partitionLog(record.topic, record.partition));
      return this.kafka.produce(records, this.log);
    } catch (error) {
      this.failed ??= error;
      throw error;
    }
  }

  async sendOffsets(generation: GroupGeneration, offsets: readonly CommitOffset[]): Promise<void> {
    this.checkUsable('add offsets to');
    if (!this.kafka.group(generation.groupId).isCurrent(generation.memberId, generation.generation)) {
      const error = new CommitFailedError(generation.groupId, generation.generation);
      this.failed ??= error;
      throw error;
    }
    this.offsets.push({ generation, offsets });
  }

  async commit(): Promise<void> {
    this.checkUsable('commit');
    if (this.failed !== undefined) {
      throw new GokaError('GOKA_TRANSACTION_FAILED', `the transaction of "${this.producer.transactionalId}" cannot commit: a send or an offset commit in it failed; abort it`, {
        cause: this.failed,
      });
    }
    this.end('committed');
    for (const { generation, offsets } of this.offsets) this.kafka.group(generation.groupId).store(offsets);
  }

  async abort(): Promise<void> {
    if (this.isOpen) this.end('aborted');
  }

  /** Aborts the transaction because its producer was fenced (a crash, a newer producer of its id). */
  fence(): void {
    if (this.isOpen) this.end('aborted');
  }

  private checkUsable(action: string): void {
    if (!this.isOpen) {
      throw new GokaError('GOKA_TRANSACTION_STATE', `cannot ${action} a transaction of "${this.producer.transactionalId}" that was ${this.log.state}`);
    }
    try {
      this.producer.checkFenced();
    } catch (error) {
      this.fence();
      throw error;
    }
  }

  private end(state: 'committed' | 'aborted'): void {
    this.log.state = state;
    for (const log of this.touched) log.endTransaction(this.log);
    this.kafka.transactionEnded(this);
  }
}
