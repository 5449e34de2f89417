import { describe, expect, it } from 'vitest';
import { silentLogger } from '../util/logger.js';
import { resolveKafka } from './connection.js';
import { KafkajsAdapter } from './kafkajs/kafkajs-adapter.js';
import { MemoryKafka } from './memory/memory-kafka.js';

describe('resolveKafka', () => {
  it('uses the given adapter', () => {
    const kafka = new MemoryKafka();
    expect(resolveKafka({ kafka, brokers: ['127.0.0.1:1'] }, 'View "t"', silentLogger)).toBe(kafka);
  });

  it('connects to brokers through kafkajs', () => {
    const adapter = resolveKafka({ brokers: ['127.0.0.1:9092'], clientId: 'x' }, 'View "t"', silentLogger);
    expect(adapter).toBeInstanceOf(KafkajsAdapter);
    expect((adapter as KafkajsAdapter).brokers).toEqual(['127.0.0.1:9092']);
  });

  it('names the component that has neither', () => {
    expect(() => resolveKafka({}, 'Emitter "clicks"', silentLogger)).toThrow(/Emitter "clicks" needs `brokers`/);
    expect(() => resolveKafka({ brokers: [] }, 'Emitter "clicks"', silentLogger)).toThrow(/`kafka`/);
  });
});
