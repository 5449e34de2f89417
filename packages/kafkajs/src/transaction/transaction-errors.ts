/**
 * How the transactional producer treats the error codes of its requests (AddPartitionsToTxn,
 * AddOffsetsToTxn, TxnOffsetCommit, EndTxn, InitProducerId, and the Produce of a transaction).
 */

export const ERROR = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  CONCURRENT_TRANSACTIONS: 51,
  TRANSACTION_COORDINATOR_FENCED: 52,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 53,
  OPERATION_NOT_ATTEMPTED: 55,
  FENCED_INSTANCE_ID: 82,
  PRODUCER_FENCED: 90,
} as const;

/**
 * What to do about a coordinator's error code:
 * - `retry`: the same request again after a backoff (a transaction still completing, a coordinator loading);
 * - `rediscover`: find the coordinator again, then retry (it moved, or is not there yet);
 * - `fenced`: a newer producer took the transactional id over (or the broker aborted the transaction
 *   after its timeout and bumped the epoch): the producer may not write again;
 * - `generation`: the consumer group's generation of a TxnOffsetCommit is over;
 * - `fatal`: anything else; the transaction can only be aborted.
 */
export type TransactionErrorKind = 'none' | 'retry' | 'rediscover' | 'fenced' | 'generation' | 'fatal';

export function transactionErrorKind(code: number): TransactionErrorKind {
  switch (code) {
    case ERROR.NONE:
      return 'none';
    case ERROR.CONCURRENT_TRANSACTIONS:
    case ERROR.COORDINATOR_LOAD_IN_PROGRESS:
    case ERROR.REQUEST_TIMED_OUT:
    case ERROR.UNKNOWN_TOPIC_OR_PARTITION:
    case ERROR.OPERATION_NOT_ATTEMPTED:
      return 'retry';
    case ERROR.NOT_COORDINATOR:
    case ERROR.COORDINATOR_NOT_AVAILABLE:
      return 'rediscover';
    case ERROR.PRODUCER_FENCED:
    case ERROR.INVALID_PRODUCER_EPOCH:
    case ERROR.TRANSACTION_COORDINATOR_FENCED:
    case ERROR.TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case ERROR.INVALID_PRODUCER_ID_MAPPING:
      return 'fenced';
    case ERROR.ILLEGAL_GENERATION:
    case ERROR.UNKNOWN_MEMBER_ID:
    case ERROR.FENCED_INSTANCE_ID:
      return 'generation';
    default:
      return 'fatal';
  }
}

/** A Kafka error code carried as an error, with what to do about it (see {@link transactionErrorKind}). */
export class TransactionCodeError extends Error {
  readonly kind: TransactionErrorKind;
  readonly retriable: boolean;

  constructor(
    readonly code: number,
    readonly request: string,
    cause: Error,
  ) {
    super(`${request} failed: ${cause.message}`, { cause });
    this.name = 'TransactionCodeError';
    this.kind = transactionErrorKind(code);
    this.retriable = this.kind === 'retry' || this.kind === 'rediscover';
  }
}
