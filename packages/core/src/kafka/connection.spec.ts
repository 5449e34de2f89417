import { describe, expect, it } from 'vitest';
import { KafkaBrokersError } from '../errors/kafka-brokers-error.js';
import { KafkaAdapterMissingError } from '../errors/kafka-error.js';
import { silentLogger } from '../util/logger.js';
import { adapterOf, kafkaSource, resolveKafka } from './connection.js';
import type { ModuleLoader } from './default-adapter.js';
import { MemoryKafka } from './memory/memory-kafka.js';

/** A stand-in for `@goka/kafkajs`: its `KafkajsAdapter` records the options it was created with. */
function fakePackage(): { load: ModuleLoader; loads: string[] } {
  const loads: string[] = [];
  class KafkajsAdapter extends MemoryKafka {
    constructor(readonly options: unknown) {
      super();
    }
  }
  return {
    loads,
    load: async (specifier) => {
      loads.push(specifier);
      return { KafkajsAdapter };
    },
  };
}

/** What Node's `import()` rejects with for a package that is not installed. */
function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/node_modules/@goka/core/dist/kafka/default-adapter.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('kafkaSource / resolveKafka', () => {
  it('uses the given adapter (kafka wins over brokers), without loading anything', async () => {
    const kafka = new MemoryKafka();
    const { load, loads } = fakePackage();
    expect(kafkaSource({ kafka, brokers: ['127.0.0.1:1'] }, 'View "t"', silentLogger, load)).toBe(kafka);
    expect(await resolveKafka({ kafka, brokers: ['127.0.0.1:1'] }, 'View "t"', silentLogger)).toBe(kafka);
    expect(loads).toEqual([]);
  });

  it('turns brokers into the default adapter of @goka/kafkajs, loaded on first use and created once', async () => {
    const { load, loads } = fakePackage();
    const source = kafkaSource({ brokers: ['127.0.0.1:9092'], clientId: 'x', sasl: { mechanism: 'plain', username: 'u', password: 'p' } }, 'View "t"', silentLogger, load);
    expect(typeof source).toBe('function');
    expect(loads).toEqual([]);
    const adapter = await adapterOf(source);
    expect(loads).toEqual(['@goka/kafkajs']);
    expect((adapter as unknown as { options: unknown }).options).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'x',
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      logger: silentLogger,
    });
    expect(await adapterOf(source)).toBe(adapter);
    expect(loads).toHaveLength(1);
  });

  it('names the component that has neither, at once', () => {
    expect(() => kafkaSource({}, 'Emitter "clicks"', silentLogger)).toThrow(/Emitter "clicks" needs `brokers`/);
    expect(() => kafkaSource({ brokers: [] }, 'Emitter "clicks"', silentLogger)).toThrow(/`kafka`/);
    expect(() => kafkaSource({ brokers: [''] }, 'Emitter "clicks"', silentLogger)).toThrow(KafkaBrokersError);
  });

  it('rejects with a KafkaAdapterMissingError naming the component and the package when @goka/kafkajs is not installed', async () => {
    const failing: ModuleLoader = (specifier) => Promise.reject(notFound(specifier));
    const source = kafkaSource({ brokers: ['127.0.0.1:9092'] }, 'Processor "clicks"', silentLogger, failing);
    const error = await Promise.resolve(adapterOf(source)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaAdapterMissingError);
    expect(error).toMatchObject({ component: 'Processor "clicks"', packageName: '@goka/kafkajs', retriable: false });
    expect((error as Error).message).toBe(
      'Processor "clicks" was given `brokers`, which needs the package @goka/kafkajs (not installed); install it ' +
        '(e.g. pnpm add @goka/kafkajs), or pass `kafka` (an adapter such as new KafkajsAdapter({ brokers }) or new MemoryKafka())',
    );
  });

  it('says why when the package is there but fails to load, and tries again on the next use', async () => {
    let attempts = 0;
    const { load: working } = fakePackage();
    const flaky: ModuleLoader = (specifier) => {
      attempts += 1;
      // A module the package imports is missing: not "the package is not installed".
      return attempts === 1 ? Promise.reject(notFound('kafkajs')) : working(specifier);
    };
    const source = kafkaSource({ brokers: ['127.0.0.1:9092'] }, 'View "t"', silentLogger, flaky);
    const error = await Promise.resolve(adapterOf(source)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaAdapterMissingError);
    expect((error as Error).message).toContain("needs the package @goka/kafkajs (it could not be loaded: Cannot find package 'kafkajs'");
    await expect(adapterOf(source)).resolves.toBeInstanceOf(MemoryKafka);
    expect(attempts).toBe(2);
  });

  it('refuses a package without a KafkajsAdapter class', async () => {
    const source = kafkaSource({ brokers: ['127.0.0.1:9092'] }, 'View "t"', silentLogger, async () => ({}));
    await expect(adapterOf(source)).rejects.toThrow(/could not be loaded: @goka\/kafkajs does not export a KafkajsAdapter class/);
  });
});
