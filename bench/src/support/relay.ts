import type { Batch, Consumer, Producer } from 'kafkajs';

/**
 * The raw kafkajs passthrough's work on one fetched batch: produces every record to `output` (same
 * partition) in sends of at most `sendRecords` records run at once (kafkajs groups a send's records per
 * partition in quadratic time: keep sends small), waits for the acknowledgements, then commits the batch.
 * Returns how many sends it made.
 */
export async function relayBatch(consumer: Consumer, producer: Producer, batch: Batch, output: string, sendRecords: number): Promise<number> {
  const messages = batch.messages.map((message) => ({ key: message.key, value: message.value, partition: batch.partition }));
  const acks: Array<Promise<unknown>> = [];
  for (let from = 0; from < messages.length; from += sendRecords) {
    acks.push(producer.sendBatch({ topicMessages: [{ topic: output, messages: messages.slice(from, from + sendRecords) }] }));
  }
  await Promise.all(acks);
  await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
  return acks.length;
}
