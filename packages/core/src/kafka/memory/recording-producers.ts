import { CompressionUnavailableError } from '../../errors/compression-error.js';
import type { CompressionType } from '../compression.js';
import type { KafkaAdapter, ProducerOptions } from '../kafka-adapter.js';
import type { MemoryKafka } from './memory-kafka.js';

/**
 * Testing aid: `memory` as an adapter that records the options of every producer created through it
 * (in `producers`) and refuses `refuse` as a compression, as a runtime without that codec does.
 */
export function recordingProducers(memory: MemoryKafka, refuse?: CompressionType): { kafka: KafkaAdapter; producers: ProducerOptions[] } {
  const producers: ProducerOptions[] = [];
  const kafka: KafkaAdapter = {
    name: 'recording',
    createAdmin: (options) => memory.createAdmin(options),
    createReader: (options) => memory.createReader(options),
    createConsumerGroup: (options) => memory.createConsumerGroup(options),
    createProducer: (options: ProducerOptions = {}) => {
      producers.push(options);
      if (options.compression !== undefined && options.compression === refuse) throw new CompressionUnavailableError(refuse, 'not here');
      return memory.createProducer(options);
    },
  };
  return { kafka, producers };
}
