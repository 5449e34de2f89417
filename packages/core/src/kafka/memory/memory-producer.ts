import type { OutgoingMessage, ProducedOffset } from '../message.js';
import type { KafkaProducer } from '../producer.js';
import type { MemoryKafka } from './memory-kafka.js';

/** Producer of {@link MemoryKafka}: appends records to the partition logs, acknowledging at once. */
export class MemoryProducer implements KafkaProducer {
  constructor(private readonly kafka: MemoryKafka) {}

  async connect(): Promise<void> {}

  async send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    return this.kafka.produce(records);
  }

  async disconnect(): Promise<void> {}
}
