import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CompressionUnavailableError } from '../errors/compression-error.js';
import { EmitterOptionsError } from '../errors/emitter-error.js';
import type { CompressionType } from '../kafka/compression.js';
import type { KafkaAdapter, ProducerOptions } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { recordingProducers } from '../kafka/memory/recording-producers.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';
import type { EmitterOptions } from './emitter-options.js';

/** MemoryKafka that records the options of every producer, and refuses `refuse` as a compression. */
function recordingKafka(refuse?: CompressionType): { kafka: KafkaAdapter; producers: ProducerOptions[] } {
  const memory = new MemoryKafka();
  memory.createTopic('events');
  return recordingProducers(memory, refuse);
}

describe('Emitter: compression', () => {
  it("creates its producer with the option, 'none' by default", async () => {
    for (const compression of [undefined, 'snappy', 'zstd'] as const) {
      const { kafka, producers } = recordingKafka();
      const emitter = new Emitter('events', codecs.string, { kafka, logger: silentLogger, ...(compression === undefined ? {} : { compression }) });
      await emitter.emit('k', 'v');
      await emitter.finish();
      expect(producers).toEqual([{ clientId: 'goka-emitter-events', compression: compression ?? 'none' }]);
    }
  });

  it('rejects an unknown compression when constructed', () => {
    const { kafka } = recordingKafka();
    const options = { kafka, compression: 'brotli' } as unknown as EmitterOptions;
    expect(() => new Emitter('events', codecs.string, options)).toThrow(EmitterOptionsError);
    expect(() => new Emitter('events', codecs.string, options)).toThrow('compression must be one of none, gzip, snappy, lz4, zstd, got "brotli"');
  });

  it('an emit rejects with the CompressionUnavailableError of a compression the runtime cannot do (not retried)', async () => {
    const { kafka, producers } = recordingKafka('zstd');
    const emitter = new Emitter('events', codecs.string, { kafka, logger: silentLogger, compression: 'zstd' });
    await expect(emitter.emit('k', 'v')).rejects.toThrow(CompressionUnavailableError);
    expect(producers).toHaveLength(1);
    await emitter.finish();
  });
});
