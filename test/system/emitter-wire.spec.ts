import { codecs, Emitter, EmitterClosedError, partitionFor, silentLogger } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';
import type { Admin, Consumer, KafkaMessage } from 'kafkajs';

interface RawRecord {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Reads `count` records of `topic` with a plain kafkajs consumer (no Goka code on the reading side). */
async function readRaw(topic: string, count: number): Promise<RawRecord[]> {
  const consumer: Consumer = kafkaClient(systemBrokers(), uniqueName('raw-reader')).consumer({
    groupId: uniqueName('raw-reader'),
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const records: RawRecord[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records`)), 60_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({ partition, message });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describe('Emitter on a real broker: Goka’s bytes and partitions', () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = kafkaClient(systemBrokers(), 'emitter-test-admin').admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('writes int64 as decimal ASCII to the FNV-1a partition, with headers and tombstones', async () => {
    const topic = uniqueName('emitter-int64');
    await admin.createTopics({ topics: [{ topic, numPartitions: 8 }], waitForLeaders: true });
    const emitter = new Emitter(topic, codecs.int64, {
      brokers: systemBrokers(),
      logger: silentLogger,
      defaultHeaders: { origin: Buffer.from('goka') },
    });
    const acks = await Promise.all([
      emitter.emit('user-0', 42),
      emitter.emit('some-key', -7, { headers: { origin: Buffer.from('override') } }),
      emitter.emit('gone', null),
    ]);
    await emitter.finish();
    expect(acks.map((ack) => ack.partition)).toEqual([1, 3, partitionFor('gone', 8)]);

    const records = await readRaw(topic, 3);
    const byKey = new Map(records.map((r) => [r.message.key?.toString(), r]));
    const user = byKey.get('user-0');
    expect(user?.partition).toBe(1);
    expect(user?.message.value).toEqual(Buffer.from([0x34, 0x32]));
    expect(user?.message.headers?.['origin']?.toString()).toBe('goka');
    const some = byKey.get('some-key');
    expect(some?.partition).toBe(3);
    expect(some?.message.value).toEqual(Buffer.from([0x2d, 0x37]));
    expect(some?.message.headers?.['origin']?.toString()).toBe('override');
    expect(byKey.get('gone')?.message.value).toBeNull();
  });

  it('acknowledges every emit of a large burst in per-key order and rejects emits after finish', async () => {
    const topic = uniqueName('emitter-burst');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const emitter = new Emitter(topic, codecs.string, { kafka: new KafkajsAdapter({ brokers: systemBrokers(), logger: silentLogger }) });
    const acks = await Promise.all(Array.from({ length: 5000 }, (_, i) => emitter.emit(`k${i % 10}`, String(i))));
    await emitter.finish();
    // offsets of one key grow with the emit order
    const offsetsOfK3 = acks.filter((_, i) => i % 10 === 3).map((ack) => ack.offset);
    expect(offsetsOfK3).toEqual([...offsetsOfK3].sort((a, b) => a - b));
    expect(new Set(acks.map((ack) => `${ack.partition}:${ack.offset}`)).size).toBe(5000);
    await expect(emitter.emit('late', 'x')).rejects.toThrow(EmitterClosedError);
  });

  it('rejects emits to a topic that does not exist, naming it', async () => {
    const topic = uniqueName('emitter-missing');
    const emitter = new Emitter(topic, codecs.string, { brokers: systemBrokers(), logger: silentLogger });
    await expect(emitter.emit('k', 'v')).rejects.toThrow(topic);
    await emitter.finish();
  });
});
