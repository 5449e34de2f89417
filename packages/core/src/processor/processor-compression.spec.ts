import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { CompressionUnavailableError } from '../errors/compression-error.js';
import { ProcessorError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { CompressionType } from '../kafka/compression.js';
import type { KafkaAdapter, ProducerOptions } from '../kafka/kafka-adapter.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { recordingProducers } from '../kafka/memory/recording-producers.js';
import { silentLogger } from '../util/logger.js';
import { Processor } from './processor.js';
import type { ProcessorOptions } from './processor-options.js';

type Ctx = ProcessContext<number>;

const counter = defineGroup<Ctx>(
  'counter',
  input('clicks', codecs.string, (ctx: Ctx) => ctx.setValue((ctx.value() ?? 0) + 1)),
  persist(codecs.int64),
);

/** MemoryKafka that records the options of every producer, and refuses `refuse` as a compression. */
function recordingKafka(refuse?: CompressionType): { kafka: KafkaAdapter; producers: ProducerOptions[] } {
  const memory = new MemoryKafka();
  memory.createTopic('clicks', { partitions: 2 });
  return recordingProducers(memory, refuse);
}

describe('Processor: compression', () => {
  it("creates its one producer (outputs, loopbacks, table writes) with the option, 'none' by default", async () => {
    for (const compression of [undefined, 'lz4'] as const) {
      const { kafka, producers } = recordingKafka();
      const processor = new Processor(counter, { kafka, logger: silentLogger, ...(compression === undefined ? {} : { compression }) });
      const running = processor.run();
      await processor.waitForReady();
      await processor.stop();
      await running;
      expect(producers).toEqual([{ clientId: 'goka-processor-counter', compression: compression ?? 'none' }]);
    }
  });

  it('rejects an unknown compression when constructed', () => {
    const { kafka } = recordingKafka();
    const options = { kafka, compression: 'brotli' } as unknown as ProcessorOptions;
    expect(() => new Processor(counter, options)).toThrow(ProcessorError);
    expect(() => new Processor(counter, options)).toThrow('processor "counter": option compression must be one of none, gzip, snappy, lz4, zstd, got "brotli"');
  });

  it('run() rejects with the CompressionUnavailableError of a compression the runtime cannot do, before anything connects', async () => {
    const { kafka } = recordingKafka('zstd');
    const processor = new Processor(counter, { kafka, logger: silentLogger, compression: 'zstd' });
    await expect(processor.run()).rejects.toThrow(CompressionUnavailableError);
    expect(processor.state).not.toBe('running');
  });
});
