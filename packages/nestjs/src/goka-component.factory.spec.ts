import { codecs, defineGroup, input, KafkaBrokersError, MemoryKafka } from '@goka/core';
import type { CompressionType } from '@goka/core';
import type { ProducerOptions } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { GokaModule } from './goka.module.js';
import { GokaComponentFactory } from './goka-component.factory.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';

/** A MemoryKafka recording the client ids its producers are created with. */
class RecordingKafka extends MemoryKafka {
  readonly producerIds: Array<string | undefined> = [];
  readonly compressions: Array<CompressionType | undefined> = [];
  override createProducer(options?: ProducerOptions): ReturnType<MemoryKafka['createProducer']> {
    this.producerIds.push(options?.clientId);
    this.compressions.push(options?.compression);
    return super.createProducer(options);
  }
}

async function factoryFor(options: GokaModuleOptions): Promise<GokaComponentFactory> {
  const moduleRef = await Test.createTestingModule({ imports: [GokaModule.forRoot(options)] }).compile();
  return moduleRef.get(GokaComponentFactory);
}

describe('GokaComponentFactory', () => {
  it('shares one kafkajs adapter for `brokers` (nothing connects) and the given adapter for `kafka`', async () => {
    const viaBrokers = await factoryFor({ brokers: ['127.0.0.1:1'], clientId: 'app', logger: false });
    expect(viaBrokers.kafka).toBeInstanceOf(KafkajsAdapter);
    expect((viaBrokers.kafka as KafkajsAdapter).brokers).toEqual(['127.0.0.1:1']);
    const kafka = new MemoryKafka();
    expect((await factoryFor({ kafka, brokers: ['ignored:1'], logger: false })).kafka).toBe(kafka);
  });

  it('prefixes client ids with the module clientId and applies defaults under own options', async () => {
    const kafka = new RecordingKafka();
    kafka.createTopic('out', { partitions: 1 });
    const factory = await factoryFor({ kafka, clientId: 'shop', logger: false, emitterDefaults: { lingerMs: 5 } });
    const prefixed = factory.createEmitter('out', codecs.string);
    await prefixed.start();
    const own = factory.createEmitter('out', codecs.string, { clientId: 'mine' });
    await own.start();
    expect(kafka.producerIds).toEqual(['shop-emitter-out', 'mine']);
    await Promise.all([prefixed.finish(), own.finish()]);
    expect(factory.tableTopic('clicks')).toBe('clicks-table');
    expect((await factoryFor({ kafka, tableSuffix: '-state', logger: false })).tableTopic('clicks')).toBe('clicks-state');
  });

  it('rejects unusable options at startup, naming the option', async () => {
    const kafka = new MemoryKafka();
    const badBrokers = factoryFor({ brokers: ['host:1', ''], logger: false });
    await expect(badBrokers).rejects.toThrow(KafkaBrokersError);
    await expect(badBrokers).rejects.toThrow(`GokaModule needs \`brokers\`, a non-empty list of "host:port" strings such as ['127.0.0.1:9092'], got ["host:1",""]`);
    await expect(factoryFor({ kafka, shutdownTimeoutMs: -1, logger: false })).rejects.toThrow(/"shutdownTimeoutMs"/);
    await expect(
      factoryFor({ kafka, storage: { path: '' } as GokaModuleOptions['storage'], logger: false }),
    ).rejects.toThrow(GokaOptionsError);
    await expect(factoryFor({ kafka, loopSuffix: '', logger: false })).rejects.toThrow(/"loopSuffix"/);
    const brotli = 'brotli' as unknown as CompressionType;
    await expect(factoryFor({ kafka, compression: brotli, logger: false })).rejects.toThrow(/"compression" must be one of none, gzip, snappy, lz4, zstd/);
  });

  it('gives processors and emitters the module compression, under processorDefaults/emitterDefaults and own options', async () => {
    const kafka = new RecordingKafka();
    kafka.createTopic('out', { partitions: 1 });
    kafka.createTopic('in', { partitions: 1 });
    const factory = await factoryFor({ kafka, logger: false, compression: 'snappy', processorDefaults: { compression: 'lz4' } });
    const emitters = [factory.createEmitter('out', codecs.string), factory.createEmitter('out', codecs.string, { compression: 'gzip' })];
    for (const emitter of emitters) await emitter.start();
    await Promise.all(emitters.map((emitter) => emitter.finish()));
    const graph = defineGroup('g', input('in', codecs.string, () => undefined));
    for (const processor of [factory.createProcessor(graph), factory.createProcessor(graph, { compression: 'zstd' })]) {
      const running = processor.run();
      await processor.waitForReady();
      await processor.stop();
      await running;
    }
    expect(kafka.compressions).toEqual(['snappy', 'gzip', 'lz4', 'zstd']);
    const plain = new RecordingKafka();
    plain.createTopic('out', { partitions: 1 });
    const emitter = (await factoryFor({ kafka: plain, logger: false })).createEmitter('out', codecs.string);
    await emitter.start();
    await emitter.finish();
    expect(plain.compressions).toEqual(['none']);
  });
});
