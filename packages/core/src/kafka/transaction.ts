import type { ProducerOptions } from './kafka-adapter.js';
import type { CommitOffset } from './consumer-group.js';
import type { OutgoingMessage, ProducedOffset } from './message.js';

/**
 * What a reader sees of transactional writes (Kafka's `isolation.level`): `read_committed` skips the
 * records of aborted transactions and stops at the last stable offset (nothing past an open
 * transaction); `read_uncommitted` sees every record up to the high-water mark.
 */
export type IsolationLevel = 'read_committed' | 'read_uncommitted';

/** Settings of a transactional producer. */
export interface TransactionalProducerOptions extends ProducerOptions {
  /**
   * Kafka's `transactional.id`. Keep it stable across restarts of the same instance: connecting
   * with it fences every older producer that used it (their open transaction is aborted and their
   * later writes fail with `ProducerFencedError`).
   */
  readonly transactionalId: string;
  /** How long the broker lets a transaction stay open before it aborts it. @default 10000 */
  readonly transactionTimeoutMs?: number;
}

/** The consumer-group generation whose offsets a transaction commits (KIP-447: the coordinator checks it). */
export interface GroupGeneration {
  readonly groupId: string;
  readonly generation: number;
  readonly memberId: string;
}

/**
 * One open transaction. Records sent through it and the offsets it carries become visible to
 * `read_committed` readers together on `commit`, or never (`abort`).
 */
export interface Transaction {
  /**
   * Produces records inside the transaction; resolves with each record's offset in input order once
   * the broker acknowledged them (they stay invisible to `read_committed` readers until commit).
   */
  send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]>;
  /**
   * Adds consumer-group offsets to the transaction (AddOffsetsToTxn + TxnOffsetCommit with the
   * generation and member id). Rejects with `CommitFailedError` when the generation is over.
   */
  sendOffsets(generation: GroupGeneration, offsets: readonly CommitOffset[]): Promise<void>;
  /** Commits everything sent and every offset added (EndTxn commit). */
  commit(): Promise<void>;
  /** Aborts the transaction (EndTxn abort); a no-op after a failed commit left nothing to abort. */
  abort(): Promise<void>;
}

/**
 * A producer whose writes are grouped into transactions (Kafka's transactional producer, one
 * transaction open at a time). `connect` registers the transactional id with the coordinator and
 * fences older producers with the same id. A write or commit from a fenced producer rejects with
 * `ProducerFencedError`; such a producer can only be disconnected.
 */
export interface TransactionalProducer {
  connect(): Promise<void>;
  /** Opens the next transaction. Throws when one is still open. */
  begin(): Transaction;
  /** Aborts an open transaction (best effort) and closes the connection. Idempotent. */
  disconnect(): Promise<void>;
}
