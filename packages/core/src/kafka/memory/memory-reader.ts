import type { PartitionReader, ReadBatch } from '../partition-reader.js';
import type { IsolationLevel } from '../transaction.js';
import type { MemoryKafka } from './memory-kafka.js';

/** Records handed out per batch, like one fetch response of a real broker. */
const MAX_BATCH = 10_000;

/**
 * Partition reader of {@link MemoryKafka}: reads the logs directly and waits for appends. Each read
 * holds an activity token ({@link MemoryKafka.activity}): busy while its consumer handles a batch,
 * parked while it waits for the next record.
 */
export class MemoryReader implements PartitionReader {
  constructor(
    private readonly kafka: MemoryKafka,
    private readonly isolation: IsolationLevel = 'read_uncommitted',
  ) {}

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  async *read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch> {
    const log = this.kafka.partitionLog(topic, partition);
    const token = this.kafka.activity.begin();
    let position = from;
    let caughtUpReported = false;
    try {
      while (!signal.aborted) {
        const messages = log.read(position, MAX_BATCH, this.isolation);
        const { oldest, hwm } = log.offsets(this.isolation);
        const last = messages[messages.length - 1];
        if (last !== undefined) {
          position = last.offset + 1;
          caughtUpReported = false;
          yield { messages, nextOffset: position, highWatermark: hwm };
          continue;
        }
        // Nothing readable before the end: step over control records and aborted ones too.
        position = Math.max(position, oldest, hwm);
        if (!caughtUpReported) {
          caughtUpReported = true;
          yield { messages, nextOffset: position, highWatermark: hwm };
          continue;
        }
        // Nothing at or past `position`: the next record is written at the high-water mark.
        const next = Math.max(position, hwm);
        token.park(log, next, this.isolation);
        await log.waitFor(next, signal, this.isolation);
        token.resume();
      }
    } finally {
      token.end();
    }
  }
}
