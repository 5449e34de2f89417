import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

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

/**
 * A transactional id unique to this process: `<clientId>-<host>-<pid>-<random>`. Unique is safe
 * (fencing of zombies goes by the group generation, KIP-447); a stable id only lets a restarted
 * instance abort its predecessor's open transaction sooner.
 */
export function defaultTransactionalId(clientId: string): string {
  return `${clientId}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
