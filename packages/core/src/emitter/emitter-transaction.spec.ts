import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { KafkaConnectionError } from '../errors/kafka-error.js';
import type { KafkaMessage } from '../kafka/message.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { silentLogger } from '../util/logger.js';
import { Emitter } from './emitter.js';

function setup(): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('transfers', { partitions: 2 });
  return kafka;
}

const committed = (kafka: MemoryKafka): string[] =>
  [0, 1].flatMap((partition) => kafka.read('transfers', partition, 0, Number.MAX_SAFE_INTEGER, 'read_committed').map((m: KafkaMessage) => `${m.key?.toString()}=${m.value?.toString()}`)).sort();

describe('Emitter.transaction', () => {
  it('writes every record of the function in one transaction, visible to read_committed readers together', async () => {
    const kafka = setup();
    const emitter = new Emitter('transfers', codecs.int64, { kafka, logger: silentLogger, transactionalId: 'bank-1' });
    const result = await emitter.transaction((tx) => {
      tx.emit('alice', -5);
      tx.emit('bob', 5);
      return 'booked';
    });
    expect(result).toBe('booked');
    expect(committed(kafka)).toEqual(['alice=-5', 'bob=5']);
    await emitter.finish();
  });

  it('sends nothing when the function throws, or when a value does not encode', async () => {
    const kafka = setup();
    const emitter = new Emitter('transfers', codecs.int64, { kafka, logger: silentLogger });
    await expect(
      emitter.transaction(async (tx) => {
        tx.emit('alice', -5);
        throw new Error('insufficient funds');
      }),
    ).rejects.toThrow('insufficient funds');
    await expect(
      emitter.transaction((tx) => {
        tx.emit('alice', -5);
        tx.emit('bob', Number.NaN);
      }),
    ).rejects.toBeInstanceOf(CodecError);
    expect(kafka.read('transfers', 0).length + kafka.read('transfers', 1).length).toBe(0);
    await emitter.finish();
  });

  it('aborts a transaction whose send failed and sends it again in a new one: its records appear once', async () => {
    const kafka = setup();
    let failures = 1;
    kafka.setProduceFault(() => {
      if (failures === 0) return undefined;
      failures -= 1;
      return new KafkaConnectionError(['memory'], 'bank');
    });
    const emitter = new Emitter('transfers', codecs.int64, { kafka, logger: silentLogger, retryBackoffMs: 1 });
    await emitter.transaction((tx) => {
      tx.emit('alice', -5);
      tx.emit('bob', 5);
    });
    expect(failures).toBe(0);
    expect(committed(kafka)).toEqual(['alice=-5', 'bob=5']);
    await emitter.finish();
  });

  it('rejects after finish', async () => {
    const kafka = setup();
    const emitter = new Emitter('transfers', codecs.int64, { kafka, logger: silentLogger });
    await emitter.finish();
    await expect(emitter.transaction((tx) => tx.emit('alice', 1))).rejects.toThrow(/finish/);
  });
});
