import type { CompressionType } from '../kafka/compression.js';
import type { KafkaAdapter } from '../kafka/kafka-adapter.js';
import type { GokaLogger } from '../util/logger.js';
import { defaultTransactionalId } from '../util/transactional-id.js';
import { ProcessorError } from '../errors/processor-error.js';
import type { ProcessorOptions } from './processor-options.js';
import { TransactionCommitter, isTransactionFailure } from './transaction-committer.js';
import { processorNoTransactions, processorTransactionAborted } from './transaction.messages.js';

/** Where exactly-once transactions come from, and who hears of one that failed. */
export interface CommitterSource {
  readonly group: string;
  readonly options: ProcessorOptions;
  readonly logger: GokaLogger;
  readonly compression: CompressionType;
  /** A transaction failed but only it ended: the processor processes again from the committed offsets. */
  transactionAborted(): void;
}

/** Exactly-once: the instance's transactions on a transactional producer of `kafka`. */
export function createCommitter(source: CommitterSource, kafka: KafkaAdapter, clientId: string): TransactionCommitter {
  const { group, options, logger } = source;
  const create = kafka.createTransactionalProducer?.bind(kafka);
  if (create === undefined) throw new ProcessorError(processorNoTransactions(group, kafka.name), group);
  const transactionalId = options.transactionalId ?? defaultTransactionalId(clientId);
  const producerOptions = {
    clientId,
    compression: source.compression,
    transactionalId,
    ...(options.transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs: options.transactionTimeoutMs }),
  };
  // A transaction failed: its records are invisible to read_committed readers and its offsets were
  // not committed. A failure that ends only the transaction makes the instance process again from
  // the committed offsets; any other stops the processor.
  return new TransactionCommitter(() => create(producerOptions), logger, (error) => {
    if (!isTransactionFailure(error)) return;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logger.warn(processorTransactionAborted(group, reason), { error });
    source.transactionAborted();
  });
}
