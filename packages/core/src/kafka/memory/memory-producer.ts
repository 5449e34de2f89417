import { ProduceFailedError } from '../../errors/kafka-error.js';
import type { OutgoingMessage, ProducedOffset } from '../message.js';
import type { KafkaProducer } from '../producer.js';
import type { MemoryKafka } from './memory-kafka.js';

/**
 * Producer of {@link MemoryKafka}: appends records to the partition logs, acknowledging at once.
 * Once its client id is fenced ({@link MemoryKafka.fenceClient}, a simulated crash) every send fails.
 */
export class MemoryProducer implements KafkaProducer {
  private readonly epoch: number;

  constructor(
    private readonly kafka: MemoryKafka,
    private readonly clientId?: string,
  ) {
    this.epoch = clientId === undefined ? 0 : kafka.clientEpoch(clientId);
  }

  async connect(): Promise<void> {}

  async send(records: readonly OutgoingMessage[]): Promise<ProducedOffset[]> {
    if (this.clientId !== undefined && this.kafka.clientEpoch(this.clientId) !== this.epoch) {
      const first = records[0];
      const cause = new Error(`client "${this.clientId}" was fenced (its instance crashed)`);
      throw new ProduceFailedError(first?.topic ?? '', first?.partition ?? -1, { cause });
    }
    return this.kafka.produce(records);
  }

  async disconnect(): Promise<void> {}
}
