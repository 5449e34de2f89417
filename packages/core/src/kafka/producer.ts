import type { OutgoingMessage, ProducedOffset } from './message.js';

/**
 * Writes records to Kafka. Records carry their partition, chosen by the caller's partitioner
 * (Goka's FNV-1a rule): an adapter never partitions by itself.
 */
export interface KafkaProducer {
  connect(): Promise<void>;
  /**
   * Sends the records in as few requests as the adapter can and resolves, once the broker acknowledged
   * all of them, with each record's offset in input order. Rejects if any record was not written; the
   * rejection (a `ProduceFailedError`) names the record that failed (topic, partition, `key`,
   * `recordBytes`) and, when some records were written before the failure, lists their offsets in
   * `acknowledgedOffsets` (`-1` for the others) so that a caller retries only those.
   */
  send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]>;
  /** Waits for in-flight sends and closes the connection. Idempotent. */
  disconnect(): Promise<void>;
}
