import { GokaError, ProducerFencedError } from '@goka/core/kafka';
import type { CommitOffset, GroupGeneration, OutgoingMessage, ProducedOffset, Transaction } from '@goka/core/kafka';
import { chunkByPartition } from '../producer/record-chunks.js';
import type { BatchSequence, ProducerIdentity } from '../producer/producer-sequences.js';

type State = 'open' | 'failed' | 'committing' | 'committed' | 'aborted';

/** One topic-partition's chunk of a send. */
export interface Part {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly indexes: readonly number[];
  sequence?: BatchSequence;
}

/** What a transaction asks of its producer (`KafkajsTransactionalProducer`): the requests and the producer's state. */
export interface TransactionProducer {
  readonly transactionalId: string;
  /** Throws the fencing error once fenced. */
  checkNotFenced(): void;
  /** Before the first request of a transaction: connected, the epoch bumped after a failed transaction. */
  ready(): Promise<ProducerIdentity>;
  /** The transaction had a failed send: the producer starts over with a new epoch before the next one. */
  needEpochBump(): void;
  /** Turns a fencing error of a request into `ProducerFencedError` (remembered); other errors pass. */
  fenceOn(error: unknown): unknown;
  addPartitions(identity: ProducerIdentity, partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void>;
  addOffsets(identity: ProducerIdentity, generation: GroupGeneration, offsets: readonly CommitOffset[], addGroup: boolean): Promise<void>;
  endTransaction(identity: ProducerIdentity, committed: boolean): Promise<void>;
  knowTopics(records: readonly OutgoingMessage[]): Promise<void>;
  lock(keys: readonly string[]): Promise<() => void>;
  assign(key: string, count: number, identity: ProducerIdentity): BatchSequence;
  produce(parts: readonly Part[], records: readonly OutgoingMessage[], offsets: number[]): Promise<void>;
}

/** One transaction of a {@link KafkajsTransactionalProducer}. */
export class KafkajsTransaction implements Transaction {
  private state: State = 'open';
  private failure: unknown;
  /** Partitions added to the transaction (or being added), by key. */
  private readonly partitions = new Map<string, Promise<void>>();
  private readonly groups = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private identity: ProducerIdentity | undefined;

  constructor(private readonly producer: TransactionProducer) {}

  get ended(): boolean {
    return this.state === 'committed' || this.state === 'aborted';
  }

  send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    return this.track(this.sendAll(records));
  }

  sendOffsets(generation: GroupGeneration, offsets: readonly CommitOffset[]): Promise<void> {
    return this.track(this.addOffsets(generation, offsets));
  }

  async commit(): Promise<void> {
    this.usable('commit');
    this.state = 'committing';
    await Promise.allSettled(this.pending);
    if (this.failure !== undefined) {
      this.state = 'failed';
      throw new GokaError('GOKA_TRANSACTION_FAILED', `the transaction of "${this.producer.transactionalId}" cannot commit: a send in it failed; abort it`, { cause: this.failure });
    }
    try {
      if (this.identity !== undefined && (this.partitions.size > 0 || this.groups.size > 0)) await this.producer.endTransaction(this.identity, true);
      this.state = 'committed';
    } catch (error) {
      this.state = 'failed';
      this.failure = error;
      this.producer.needEpochBump();
      throw this.producer.fenceOn(error);
    }
  }

  async abort(): Promise<void> {
    if (this.ended) return;
    await Promise.allSettled(this.pending);
    const identity = this.identity;
    this.state = 'aborted';
    try {
      this.producer.checkNotFenced();
    } catch {
      return; // the producer that fenced this one aborted the transaction
    }
    if (identity === undefined || (this.partitions.size === 0 && this.groups.size === 0)) return;
    try {
      await this.producer.endTransaction(identity, false);
    } catch (error) {
      const fenced = this.producer.fenceOn(error);
      if (fenced instanceof ProducerFencedError) return;
      // The next transaction starts over with a new epoch, which aborts whatever this one left open.
      this.producer.needEpochBump();
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = (): void => {
      this.pending.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Throws unless the transaction takes more work. */
  private usable(what: string): void {
    this.producer.checkNotFenced();
    if (this.state === 'open') return;
    if (this.state === 'failed') {
      throw new GokaError('GOKA_TRANSACTION_FAILED', `the transaction of "${this.producer.transactionalId}" cannot ${what}: it failed; abort it`, { cause: this.failure });
    }
    throw new GokaError('GOKA_TRANSACTION_STATE', `the transaction of "${this.producer.transactionalId}" cannot ${what}: it is ${this.state}`);
  }

  /** Runs `work`; a failure makes the transaction abortable only (and a fencing error fences the producer). */
  private async guarded<T>(what: string, work: (identity: ProducerIdentity) => Promise<T>): Promise<T> {
    this.usable(what);
    try {
      this.identity ??= await this.producer.ready();
      return await work(this.identity);
    } catch (error) {
      if (this.state === 'open' || this.state === 'committing') {
        this.failure ??= error;
        if (this.state === 'open') this.state = 'failed';
      }
      throw this.producer.fenceOn(error);
    }
  }

  private sendAll(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    return this.guarded('send', async (identity) => {
      if (records.length === 0) return [];
      await this.producer.knowTopics(records);
      const slots = chunkByPartition(records);
      const offsets = Array.from({ length: records.length }, () => -1);
      const release = await this.producer.lock([...new Set(slots.map((slot) => slot.key))]);
      try {
        await this.addPartitions(identity, slots);
        const rounds = Math.max(...slots.map((slot) => slot.chunks.length));
        for (let round = 0; round < rounds; round++) {
          const parts: Part[] = [];
          for (const slot of slots) {
            const indexes = slot.chunks[round];
            if (indexes === undefined) continue;
            parts.push({ topic: slot.topic, partition: slot.partition, key: slot.key, indexes, sequence: this.producer.assign(slot.key, indexes.length, identity) });
          }
          await this.producer.produce(parts, records, offsets);
        }
      } catch (error) {
        // A batch may be written or not: the sequence numbers after it are unknown.
        this.producer.needEpochBump();
        throw error;
      } finally {
        release();
      }
      return records.map((record, index) => ({ topic: record.topic, partition: record.partition, offset: offsets[index] ?? -1 }));
    });
  }

  /** AddPartitionsToTxn for the partitions of `slots` new to the transaction (once each, shared by concurrent sends). */
  private async addPartitions(identity: ProducerIdentity, slots: ReadonlyArray<{ topic: string; partition: number; key: string }>): Promise<void> {
    const fresh = slots.filter((slot) => !this.partitions.has(slot.key));
    if (fresh.length > 0) {
      const adding = this.producer.addPartitions(identity, fresh);
      for (const slot of fresh) this.partitions.set(slot.key, adding);
      adding.catch(() => {
        for (const slot of fresh) this.partitions.delete(slot.key);
      });
    }
    await Promise.all(slots.map((slot) => this.partitions.get(slot.key)));
  }

  private addOffsets(generation: GroupGeneration, offsets: readonly CommitOffset[]): Promise<void> {
    return this.guarded('add offsets', async (identity) => {
      if (offsets.length === 0) return;
      const added = this.groups.has(generation.groupId);
      const adding = this.producer.addOffsets(identity, generation, offsets, !added);
      if (!added) this.groups.set(generation.groupId, adding);
      await adding;
    });
  }
}

