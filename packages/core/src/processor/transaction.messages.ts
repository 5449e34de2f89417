/** The exactly-once processor of `group` runs on an adapter without transactions. */
export function processorNoTransactions(group: string, adapter: string): string {
  return (
    `processor "${group}" is configured with guarantee 'exactly-once', but the Kafka adapter "${adapter}" has no ` +
    `transactions (createTransactionalProducer); use the kafkajs adapter or MemoryKafka, or guarantee 'at-least-once'`
  );
}

/** A transaction of `group` was aborted; the instance processes again from the committed offsets. */
export function processorTransactionAborted(group: string, reason: string): string {
  return (
    `processor "${group}": transaction aborted (${reason}); its writes are discarded and the partitions ` +
    'are processed again from the last committed offsets'
  );
}
