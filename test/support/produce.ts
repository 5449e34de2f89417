import type { Message, Producer, RecordMetadata } from 'kafkajs';

export type PartitionedMessage = Message & { readonly partition: number };

/**
 * Sends with acks=-1, one `producer.send` per partition, and checks that each answer acknowledges its
 * partition. One send spanning partitions whose leaders converge during a failover can resolve without
 * having written some of them (kafkajs 2.2.4, tulios/kafkajs#1303: the retry skips a broker that already
 * answered); per-partition sends avoid that.
 */
export async function sendPerPartition(
  producer: Producer,
  topic: string,
  messages: readonly PartitionedMessage[],
): Promise<RecordMetadata[]> {
  const byPartition = new Map<number, PartitionedMessage[]>();
  for (const m of messages) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
  const acks: RecordMetadata[] = [];
  for (const [partition, batch] of byPartition) {
    const answer = await producer.send({ topic, acks: -1, messages: batch });
    const ack = answer.find((a) => a.topicName === topic && a.partition === partition && a.errorCode === 0);
    if (ack === undefined) throw new Error(`send to ${topic}/${partition} resolved without acknowledging the partition`);
    acks.push(ack);
  }
  return acks;
}
