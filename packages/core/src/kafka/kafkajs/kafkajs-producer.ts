import type { Message, Producer, TopicMessages } from 'kafkajs';
import type { OutgoingMessage, ProducedOffset } from '../message.js';
import type { KafkaProducer } from '../producer.js';
import { ProduceFailedError } from '../../errors/kafka-error.js';

/** {@link KafkaProducer} on a kafkajs producer: one `sendBatch` per call, acks from all in-sync replicas. */
export class KafkajsProducer implements KafkaProducer {
  private connected: Promise<void> | undefined;

  constructor(private readonly producer: Producer) {}

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    if (records.length === 0) return [];
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (messages === undefined) byTopic.set(record.topic, (messages = []));
      messages.push({
        key: record.key,
        value: record.value,
        partition: record.partition,
        headers: record.headers === undefined ? undefined : { ...record.headers },
        timestamp: record.timestamp === undefined ? undefined : String(record.timestamp),
      });
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    let acknowledged;
    try {
      acknowledged = await this.producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      const first = records[0] as OutgoingMessage;
      throw new ProduceFailedError(first.topic, first.partition, { cause: error, retriable: isRetriable(error) });
    }
    // Each partition's records got consecutive offsets from its base offset, in send order.
    const next = new Map<string, number>();
    for (const entry of acknowledged) next.set(`${entry.partition}:${entry.topicName}`, Number(entry.baseOffset));
    return records.map((record) => {
      const slot = `${record.partition}:${record.topic}`;
      const offset = next.get(slot) ?? -1;
      next.set(slot, offset + 1);
      return { topic: record.topic, partition: record.partition, offset };
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}
