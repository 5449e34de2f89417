import { describe, expect, it } from 'vitest';
import {
  TopicMismatchError,
  TopicNotCopartitionedError,
  TopicNotCreatedError,
  TopicPartitionGapError,
} from '../errors/topic-error.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import type { KafkaAdmin, TopicDescription } from '../kafka/admin.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { GokaLogger } from '../util/logger.js';
import { TopicManager } from './topic-manager.js';

function recordingLogger(): GokaLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
}

describe('TopicManager', () => {
  it('creates a group table compacted and a loop stream with Goka’s retention, replication lowered to the brokers', async () => {
    const kafka = new MemoryKafka();
    const created: unknown[] = [];
    const admin = kafka.createAdmin();
    const spy: KafkaAdmin = Object.assign(Object.create(admin) as KafkaAdmin, {
      createTopic: (spec: Parameters<KafkaAdmin['createTopic']>[0]) => {
        created.push(spec);
        return admin.createTopic(spec);
      },
    });
    const manager = new TopicManager(spy, { logger: recordingLogger() });
    await manager.ensureTableExists('clicks-table', 8);
    await manager.ensureStreamExists('clicks-loop', 8);
    expect(created).toEqual([
      { topic: 'clicks-table', partitions: 8, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
      {
        topic: 'clicks-loop',
        partitions: 8,
        replicationFactor: 1,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' },
      },
    ]);
    await manager.ensureTableExists('clicks-table', 8);
    expect(created).toHaveLength(2);
  });

  it('lists partitions without creating topics and names a missing one', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('input', { partitions: 3 });
    const manager = new TopicManager(kafka.createAdmin());
    expect(await manager.partitions('input')).toEqual([0, 1, 2]);
    await expect(manager.partitions('nope')).rejects.toThrow(TopicNotFoundError);
    await expect(manager.partitions('nope')).rejects.toThrow(/"nope"/);
    expect(kafka.describeTopic('nope')).toBeUndefined();
  });

  it('rejects partition gaps', async () => {
    const gapped: TopicDescription = { topic: 'g', partitions: [0, 1, 3], replicationFactor: 1 };
    const admin = Object.assign(Object.create(new MemoryKafka().createAdmin()) as KafkaAdmin, {
      describeTopic: async () => gapped,
    });
    await expect(new TopicManager(admin).partitions('g')).rejects.toThrow(TopicPartitionGapError);
  });

  it('checks copartitioning with a message that names the odd topic and the group', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('a', { partitions: 4 });
    kafka.createTopic('b', { partitions: 4 });
    kafka.createTopic('c', { partitions: 2 });
    const manager = new TopicManager(kafka.createAdmin());
    expect(await manager.checkCopartitioned(['a', 'b'])).toBe(4);
    const failing = manager.checkCopartitioned(['a', 'b', 'c'], 'counter');
    await expect(failing).rejects.toThrow(TopicNotCopartitionedError);
    await expect(failing).rejects.toThrow(
      /topics of group "counter" are not copartitioned! Topic "c" does not have 4 partitions like the rest but 2/,
    );
  });

  it('warns about, fails on, or ignores an existing topic that differs', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t-table', { partitions: 2, config: { 'cleanup.policy': 'delete' } });
    const logger = recordingLogger();
    await new TopicManager(kafka.createAdmin(), { logger }).ensureTableExists('t-table', 4);
    expect(logger.warnings.join('\n')).toMatch(/partition count 2, but 4 was requested/);
    expect(logger.warnings.join('\n')).toMatch(/config cleanup.policy delete, but compact was requested/);
    await expect(
      new TopicManager(kafka.createAdmin(), { mismatch: 'fail' }).ensureTableExists('t-table', 4),
    ).rejects.toThrow(TopicMismatchError);
    const quiet = recordingLogger();
    await new TopicManager(kafka.createAdmin(), { mismatch: 'ignore', logger: quiet }).ensureTableExists('t-table', 4);
    expect(quiet.warnings).toEqual([]);
  });

  it('refuses to create topics with noCreate', async () => {
    const manager = new TopicManager(new MemoryKafka().createAdmin(), { noCreate: true });
    await expect(manager.ensureStreamExists('x-loop', 1)).rejects.toThrow(TopicNotCreatedError);
  });
});
