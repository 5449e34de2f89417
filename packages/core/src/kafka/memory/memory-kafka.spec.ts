import { describe, expect, it } from 'vitest';
import { PartitionNotFoundError, ProduceFailedError, TopicNotFoundError } from '../../errors/kafka-error.js';
import type { ReadBatch } from '../partition-reader.js';
import { MemoryKafka } from './memory-kafka.js';

const message = (topic: string, partition: number, key: string, value: string | null) => ({
  topic,
  partition,
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

describe('MemoryKafka', () => {
  it('creates topics once and describes them', async () => {
    const kafka = new MemoryKafka();
    expect(kafka.createTopic('clicks', { partitions: 3, config: { 'cleanup.policy': 'delete' } })).toBe(true);
    expect(kafka.createTopic('clicks', { partitions: 5 })).toBe(false);
    const admin = kafka.createAdmin();
    expect(await admin.describeTopic('clicks')).toEqual({
      topic: 'clicks',
      partitions: [0, 1, 2],
      replicationFactor: 1,
    });
    expect(await admin.describeTopic('missing')).toBeUndefined();
    expect(await admin.createTopic({ topic: 'table', partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } })).toBe(true);
    expect(await admin.topicConfig('table')).toEqual({ 'cleanup.policy': 'compact' });
    expect(kafka.topicNames()).toEqual(['clicks', 'table']);
  });

  it('produces to the partitions the records name and reports their offsets', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t', { partitions: 2 });
    const producer = kafka.createProducer();
    const offsets = await producer.send([message('t', 0, 'a', '1'), message('t', 1, 'b', '2'), message('t', 0, 'c', null)]);
    expect(offsets).toEqual([
      { topic: 't', partition: 0, offset: 0 },
      { topic: 't', partition: 1, offset: 0 },
      { topic: 't', partition: 0, offset: 1 },
    ]);
    expect(await kafka.createAdmin().offsets('t', [0, 1])).toEqual([
      { oldest: 0, hwm: 2 },
      { oldest: 0, hwm: 1 },
    ]);
    const [first, second] = kafka.read('t', 0);
    expect(first?.value?.toString()).toBe('1');
    expect(second?.value).toBeNull();
  });

  it('names the missing topic or partition', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t', { partitions: 1 });
    await expect(kafka.createProducer().send([message('nope', 0, 'k', 'v')])).rejects.toThrow(TopicNotFoundError);
    await expect(kafka.createProducer().send([message('t', 4, 'k', 'v')])).rejects.toThrow(PartitionNotFoundError);
    expect(() => kafka.read('nope', 0)).toThrow(/nope/);
  });

  it('fails a whole send when a fault is set, writing nothing', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    kafka.setProduceFault(() => new Error('broker down'));
    const sending = kafka.createProducer().send([message('t', 0, 'k', 'v')]);
    await expect(sending).rejects.toThrow(ProduceFailedError);
    await expect(sending).rejects.toThrow(/broker down/);
    expect(kafka.offsets('t', 0)).toEqual({ oldest: 0, hwm: 0 });
    kafka.setProduceFault(undefined);
    await kafka.createProducer().send([message('t', 0, 'k', 'v')]);
    expect(kafka.offsets('t', 0).hwm).toBe(1);
  });

  it('reads a partition from an offset, reports catching up, and follows new records', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const producer = kafka.createProducer();
    await producer.send([message('t', 0, 'a', '1'), message('t', 0, 'b', '2'), message('t', 0, 'c', '3')]);
    const controller = new AbortController();
    const batches: ReadBatch[] = [];
    const reading = (async () => {
      for await (const batch of kafka.createReader().read('t', 0, 1, controller.signal)) {
        batches.push(batch);
        if (batch.messages.length === 0 && batches.length === 2) {
          await producer.send([message('t', 0, 'd', '4')]);
        }
        if (batch.messages.some((m) => m.key?.toString() === 'd')) controller.abort();
      }
    })();
    await reading;
    expect(batches.map((b) => [b.messages.map((m) => m.offset), b.nextOffset, b.highWatermark])).toEqual([
      [[1, 2], 3, 3],
      [[], 3, 3],
      [[3], 4, 4],
    ]);
  });

  it('reads from the oldest offset after compaction removed the asked one', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    await kafka.createProducer().send([message('t', 0, 'a', '1'), message('t', 0, 'a', '2'), message('t', 0, 'b', '3')]);
    kafka.compact('t');
    const controller = new AbortController();
    const seen: number[] = [];
    for await (const batch of kafka.createReader().read('t', 0, 0, controller.signal)) {
      seen.push(...batch.messages.map((m) => m.offset));
      if (batch.messages.length === 0) controller.abort();
    }
    expect(seen).toEqual([1, 2]);
  });
});
