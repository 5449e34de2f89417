import { afterEach, describe, expect, it } from 'vitest';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { collectMessages } from '../support/collect.js';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

describe('real broker: produce and consume with kafkajs', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function connected<T extends Admin | Producer | Consumer>(client: T): Promise<T> {
    await client.connect();
    cleanup.push(() => client.disconnect());
    return client;
  }

  it('delivers every produced message to a consumer group, per partition in order', async () => {
    const kafka = kafkaClient(systemBrokers(), 'system-produce-consume');
    const topic = uniqueName('sys-pc');
    const admin = await connected(kafka.admin());
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })).toBe(true);

    const producer = await connected(kafka.producer({ createPartitioner: explicitPartitioner }));
    const sent = Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `v${i}` }));
    const acks = await producer.send({ topic, acks: -1, messages: sent });
    expect(acks.map((a) => a.partition).sort()).toEqual([0, 1]);

    const consumer = await connected(kafka.consumer({ groupId: uniqueName('sys-pc-group') }));
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = await collectMessages(consumer, sent.length);

    expect(got.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    for (const partition of [0, 1]) {
      const offsets = got.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      expect(offsets).toEqual([...Array(10).keys()]);
    }
  });

  it('commits the group offsets, so the next member of the group resumes after them', async () => {
    const kafka = kafkaClient(systemBrokers(), 'system-commit');
    const topic = uniqueName('sys-commit');
    const groupId = uniqueName('sys-commit-group');
    const admin = await connected(kafka.admin());
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = await connected(kafka.producer({ createPartitioner: explicitPartitioner }));
    await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((i) => ({ partition: 0, key: 'k', value: `a${i}` })) });

    const first = kafka.consumer({ groupId });
    await first.connect();
    await first.subscribe({ topic, fromBeginning: true });
    expect((await collectMessages(first, 3)).map((m) => m.value)).toEqual(['a0', 'a1', 'a2']);
    await first.disconnect(); // a clean leave commits what eachMessage resolved

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]?.partitions[0]?.offset).toBe('3');

    await producer.send({ topic, acks: -1, messages: [{ partition: 0, key: 'k', value: 'b0' }] });
    const second = await connected(kafka.consumer({ groupId }));
    await second.subscribe({ topic, fromBeginning: true });
    expect((await collectMessages(second, 1)).map((m) => m.value)).toEqual(['b0']);
  });
});
