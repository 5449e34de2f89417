import type { Message, Producer, TopicMessages } from 'kafkajs';
import type { OutgoingMessage, ProducedOffset } from '../message.js';
import type { KafkaProducer } from '../producer.js';
import { ProduceFailedError } from '../../errors/kafka-error.js';
import { isRetriableKafkaError } from './kafkajs-errors.js';

/** Most records handed to one kafkajs sendBatch (see {@link KafkajsProducer.send}). */
const MAX_SEND_RECORDS = 2000;

/** Sends of the partitions kafkajs left out of an answer before the send fails. */
const MAX_ATTEMPTS = 5;
const PARTIAL_ACK = 'kafkajs acknowledged the batch without this partition, 5 times';

const slotOf = (record: OutgoingMessage): string => `${record.partition}:${record.topic}`;

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
    if (records.length <= MAX_SEND_RECORDS) return this.sendAll(records);
    // kafkajs groups a send's records per partition in time quadratic in their number, so large
    // sends go out as consecutive smaller ones (in order: per-partition order holds).
    const offsets: ProducedOffset[] = [];
    for (let start = 0; start < records.length; start += MAX_SEND_RECORDS) {
      for (const offset of await this.sendAll(records.slice(start, start + MAX_SEND_RECORDS))) offsets.push(offset);
    }
    return offsets;
  }

  private async sendAll(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    if (records.length === 0) return [];
    await this.connect();
    const offsets: number[] = records.map(() => -1);
    let pending = records.map((_, index) => index);
    // kafkajs may resolve a sendBatch without writing some partitions when leaders move during its
    // retries (tulios/kafkajs#1303): every partition must be in the answer, or it is sent again.
    for (let attempt = 1; pending.length > 0; attempt++) {
      const batch = pending.map((index) => records[index] as OutgoingMessage);
      const acknowledged = await this.sendOnce(batch);
      if (attempt >= MAX_ATTEMPTS && pending.some((index) => !acknowledged.has(slotOf(records[index] as OutgoingMessage)))) {
        const missing = records[pending.find((index) => !acknowledged.has(slotOf(records[index] as OutgoingMessage))) ?? 0] as OutgoingMessage;
        throw new ProduceFailedError(missing.topic, missing.partition, { cause: new Error(PARTIAL_ACK), retriable: true });
      }
      const next: number[] = [];
      for (const index of pending) {
        const slot = slotOf(records[index] as OutgoingMessage);
        const offset = acknowledged.get(slot);
        if (offset === undefined) {
          next.push(index);
          continue;
        }
        // Each partition's records got consecutive offsets from its base offset, in send order.
        offsets[index] = offset;
        acknowledged.set(slot, offset + 1);
      }
      pending = next;
    }
    return records.map((record, index) => ({
      topic: record.topic,
      partition: record.partition,
      offset: offsets[index] ?? -1,
    }));
  }

  /** One kafkajs sendBatch; returns the base offset of every topic-partition the broker acknowledged. */
  private async sendOnce(records: readonly OutgoingMessage[]): Promise<Map<string, number>> {
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
    try {
      const acknowledged = await this.producer.sendBatch({ topicMessages, acks: -1 });
      return new Map(acknowledged.map((entry) => [`${entry.partition}:${entry.topicName}`, Number(entry.baseOffset)]));
    } catch (error) {
      const first = records[0] as OutgoingMessage;
      throw new ProduceFailedError(first.topic, first.partition, { cause: error, retriable: isRetriableKafkaError(error) });
    }
  }

  async disconnect(): Promise<void> {
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}


