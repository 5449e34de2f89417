import type { KafkaMessage } from './message.js';

/** One fetch's worth of records of one partition. */
export interface ReadBatch {
  /** Records in offset order; may be empty when the partition has nothing new. */
  readonly messages: readonly KafkaMessage[];
  /** The offset the next fetch starts from (past compacted gaps and control records). */
  readonly nextOffset: number;
  /** The partition's high-water mark when this batch was fetched. */
  readonly highWatermark: number;
}

/**
 * Reads partitions directly from an offset, without a consumer group and without commits: how
 * tables, joins and views recover and catch up (their progress is the local stored offset).
 */
export interface PartitionReader {
  connect(): Promise<void>;
  /**
   * Reads `topic`/`partition` from offset `from` (an offset below the oldest reads from the oldest)
   * until `signal` aborts, one batch per fetch. Whenever a fetch finds nothing new the reader yields an
   * empty batch (at least once each time it reaches the high-water mark), so a caller learns that it
   * has caught up, and then waits for new records. Ends without error when the signal aborts; rejects
   * when the topic or partition does not exist or the connection fails for good.
   */
  read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch>;
  disconnect(): Promise<void>;
}
