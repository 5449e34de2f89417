import type { ReadBatch } from '../partition-reader.js';
import type { KafkaMessage } from '../message.js';
import type { RawFetchPartition } from './kafkajs-internals.js';
import { toKafkaMessage } from './raw-record.js';

/**
 * The batch one fetched partition gives a reader that asked for offset `from`: the records at or past
 * `from` that are not control records, and the offset to fetch next. A fetch returns whole record
 * batches, so records before `from` are skipped, and the next offset moves past the end of every batch
 * seen (compaction can empty a batch's tail, transactions end batches with control records).
 */
export function fetchedBatch(topic: string, partition: number, from: number, data: RawFetchPartition): ReadBatch {
  let next = from;
  const messages: KafkaMessage[] = [];
  for (const raw of data.messages) {
    const batchEnd = Number(raw.batchContext.firstOffset) + raw.batchContext.lastOffsetDelta + 1;
    if (batchEnd > next) next = batchEnd;
    const offset = Number(raw.offset);
    if (offset < from || raw.isControlRecord) continue;
    messages.push(toKafkaMessage(topic, partition, offset, raw));
  }
  return { messages, nextOffset: next, highWatermark: Number(data.highWatermark) };
}
