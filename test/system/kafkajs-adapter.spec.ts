import { partitionFor, silentLogger, TopicNotFoundError } from '@goka/core';
import type { KafkaMessage } from '@goka/core';
import type { KafkaAdmin, OutgoingMessage, ReadBatch } from '@goka/core/kafka';
import { KafkajsAdapter } from '@goka/kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

/** Reads `topic`/`partition` from `from` until `stop` says so; returns every batch. */
async function readUntil(
  adapter: KafkajsAdapter,
  topic: string,
  partition: number,
  from: number,
  stop: (batches: readonly ReadBatch[]) => boolean | Promise<boolean>,
): Promise<ReadBatch[]> {
  const reader = adapter.createReader({ clientId: 'test-reader' });
  const controller = new AbortController();
  const batches: ReadBatch[] = [];
  try {
    for await (const batch of reader.read(topic, partition, from, controller.signal)) {
      batches.push(batch);
      if (await stop(batches)) controller.abort();
    }
  } finally {
    await reader.disconnect();
  }
  return batches;
}

const messagesOf = (batches: readonly ReadBatch[]): KafkaMessage[] => batches.flatMap((b) => b.messages);

describe('kafkajs adapter on a real broker', () => {
  let adapter: KafkajsAdapter;
  let admin: KafkaAdmin;

  beforeAll(async () => {
    adapter = new KafkajsAdapter({ brokers: systemBrokers(), logger: silentLogger });
    admin = adapter.createAdmin({ clientId: 'test-admin' });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('creates a compacted topic once and describes it', async () => {
    const topic = uniqueName('adapter-table');
    const spec = { topic, partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } };
    expect(await admin.createTopic(spec)).toBe(true);
    expect(await admin.createTopic(spec)).toBe(false);
    expect(await admin.describeTopic(topic)).toEqual({ topic, partitions: [0, 1, 2], replicationFactor: 1 });
    expect((await admin.topicConfig(topic))['cleanup.policy']).toBe('compact');
    expect(await admin.describeTopic(uniqueName('missing'))).toBeUndefined();
    expect(await admin.brokerCount()).toBeGreaterThanOrEqual(1);
  });

  it('produces to the partitions the records name and reads them back byte for byte', async () => {
    const topic = uniqueName('adapter-stream');
    await admin.createTopic({ topic, partitions: 4, replicationFactor: 1 });
    const keys = ['user-0', 'some-key', 'a', 'x'];
    const records: OutgoingMessage[] = keys.map((key, i) => ({
      topic,
      partition: partitionFor(key, 4),
      key: Buffer.from(key),
      value: i === 2 ? null : i === 3 ? Buffer.alloc(0) : Buffer.from(String(i * 21)),
      headers: i === 0 ? { trace: Buffer.from('abc') } : undefined,
    }));
    const producer = adapter.createProducer({ clientId: 'test-producer' });
    const offsets = await producer.send([...records, records[0] as OutgoingMessage]);
    await producer.disconnect();
    expect(offsets.map((o) => o.partition)).toEqual([1, 3, 0, 1, 1]);
    // user-0 and x share partition 1: consecutive offsets in send order
    expect([offsets[0]?.offset, offsets[3]?.offset, offsets[4]?.offset]).toEqual([0, 1, 2]);

    const partitionOne = messagesOf(await readUntil(adapter, topic, 1, 0, (b) => messagesOf(b).length >= 3));
    expect(partitionOne.map((m) => [m.offset, m.key?.toString(), m.value?.toString()])).toEqual([
      [0, 'user-0', '0'],
      [1, 'x', ''],
      [2, 'user-0', '0'],
    ]);
    expect(partitionOne[0]?.headers['trace']?.toString()).toBe('abc');
    expect(partitionOne[1]?.value).toEqual(Buffer.alloc(0));
    const partitionZero = messagesOf(await readUntil(adapter, topic, 0, 0, (b) => messagesOf(b).length >= 1));
    expect(partitionZero[0]?.value).toBeNull();
    expect(partitionZero[0]?.timestamp).toBeGreaterThan(Date.now() - 600_000);
  });

  it('reports catching up at the high-water mark and follows later records', async () => {
    const topic = uniqueName('adapter-follow');
    await admin.createTopic({ topic, partitions: 1, replicationFactor: 1 });
    const producer = adapter.createProducer();
    const send = (key: string) => producer.send([{ topic, partition: 0, key: Buffer.from(key), value: Buffer.from(key) }]);
    await send('a');
    await send('b');
    const batches = await readUntil(adapter, topic, 0, 1, async (seen) => {
      const last = seen[seen.length - 1] as ReadBatch;
      if (last.messages.length === 0 && !messagesOf(seen).some((m) => m.key?.toString() === 'c')) await send('c');
      return messagesOf(seen).some((m) => m.key?.toString() === 'c');
    });
    await producer.disconnect();
    expect(messagesOf(batches).map((m) => [m.offset, m.key?.toString()])).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
    const caughtUp = batches.find((b) => b.messages.length === 0);
    expect(caughtUp).toMatchObject({ nextOffset: 2, highWatermark: 2 });
  });

  it('reads from the oldest offset when the asked one was deleted', async () => {
    const topic = uniqueName('adapter-deleted');
    await admin.createTopic({ topic, partitions: 1, replicationFactor: 1 });
    const producer = adapter.createProducer();
    await producer.send(
      ['a', 'b', 'c', 'd'].map((key) => ({ topic, partition: 0, key: Buffer.from(key), value: Buffer.from(key) })),
    );
    await producer.disconnect();
    const raw = kafkaClient(systemBrokers(), 'test-delete').admin();
    await raw.connect();
    await raw.fetchTopicMetadata({ topics: [topic] });
    await raw.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '2' }] });
    await raw.disconnect();
    expect(await admin.offsets(topic, [0])).toEqual([{ oldest: 2, hwm: 4 }]);
    const batches = await readUntil(adapter, topic, 0, 0, (seen) => messagesOf(seen).length >= 2);
    expect(messagesOf(batches).map((m) => m.offset)).toEqual([2, 3]);
  });

  it('reads many partitions concurrently through one reader', async () => {
    const topic = uniqueName('adapter-many');
    await admin.createTopic({ topic, partitions: 6, replicationFactor: 1 });
    const producer = adapter.createProducer();
    const records: OutgoingMessage[] = [];
    for (let i = 0; i < 600; i++) {
      const key = `key-${i}`;
      records.push({ topic, partition: partitionFor(key, 6), key: Buffer.from(key), value: Buffer.from(String(i)) });
    }
    await producer.send(records);
    await producer.disconnect();
    const reader = adapter.createReader();
    const counts = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (partition) => {
        const controller = new AbortController();
        let count = 0;
        for await (const batch of reader.read(topic, partition, 0, controller.signal)) {
          count += batch.messages.length;
          if (batch.nextOffset >= batch.highWatermark) controller.abort();
        }
        return count;
      }),
    );
    await reader.disconnect();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(600);
  });

  it('rejects reading a topic that does not exist, naming it', async () => {
    const topic = uniqueName('adapter-none');
    const reader = adapter.createReader();
    const reading = (async () => {
      for await (const batch of reader.read(topic, 0, 0, new AbortController().signal)) return batch;
      return undefined;
    })();
    await expect(reading).rejects.toThrow(TopicNotFoundError);
    await expect(reading).rejects.toThrow(topic);
    await reader.disconnect();
  });
});
