import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';
import { readPartitionZero } from '../support/read-topic.js';
import { waitFor } from '../support/wait-for.js';

describe('real broker: topic administration', () => {
  let kafka: Kafka;
  let admin: Admin;
  beforeAll(async () => {
    kafka = kafkaClient(systemBrokers(), 'system-topic-config');
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  async function topicConfig(topic: string, names: string[]): Promise<Record<string, string | undefined>> {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: names }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    return Object.fromEntries(names.map((n) => [n, entries.find((e) => e.configName === n)?.configValue]));
  }

  it('creates a compacted topic whose cleanup.policy reads back as compact', async () => {
    const topic = uniqueName('sys-table');
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 3,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.ms', value: '100' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: '100' },
          ],
        },
      ],
    });
    expect(created).toBe(true);

    const config = await topicConfig(topic, ['cleanup.policy', 'segment.ms', 'min.cleanable.dirty.ratio']);
    expect(config).toEqual({ 'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.01' });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });

  it('keeps the default delete policy on a plain topic and refuses to create it twice', async () => {
    const topic = uniqueName('sys-plain');
    expect(await admin.createTopics({ topics: [{ topic }], waitForLeaders: true })).toBe(true);
    expect(await topicConfig(topic, ['cleanup.policy'])).toEqual({ 'cleanup.policy': 'delete' });
    // kafkajs reports an existing topic as `false`, not as an error.
    expect(await admin.createTopics({ topics: [{ topic }], waitForLeaders: true })).toBe(false);
  });

  it('does not auto-create topics on metadata requests (auto.create.topics.enable=false)', async () => {
    const topic = uniqueName('sys-missing');
    await expect(admin.fetchTopicMetadata({ topics: [topic] })).rejects.toThrow(/does not host this topic-partition|UNKNOWN_TOPIC/i);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('compacts superseded values of a key soon after their segment closes (the cleaner settings work)', async () => {
    const topic = uniqueName('sys-compact');
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.ms', value: '100' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: '100' },
          ],
        },
      ],
    });
    const producer = kafka.producer({ createPartitioner: explicitPartitioner });
    await producer.connect();
    try {
      const versions = [1, 2, 3, 4, 5].map((i) => ({ partition: 0, key: 'a', value: `a${i}` }));
      await producer.send({ topic, acks: -1, messages: [...versions, { partition: 0, key: 'b', value: 'b1' }] });
      let tick = 0;
      // Only closed segments are cleaned, and a segment closes on the first append after segment.ms:
      // each poll appends a `tick` record, then reads what the cleaner has left.
      const compacted = await waitFor(
        'the cleaner to drop a1…a4',
        async () => {
          await producer.send({ topic, acks: -1, messages: [{ partition: 0, key: 'tick', value: String((tick += 1)) }] });
          const records = await readPartitionZero(kafka, admin, topic);
          return records.filter((r) => r.key === 'a').length === 1 ? records : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(compacted.filter((r) => r.key !== 'tick').map((r) => `${r.offset}:${r.key}=${r.value}`)).toEqual(['4:a=a5', '5:b=b1']);
    } finally {
      await producer.disconnect();
    }
  });
});
