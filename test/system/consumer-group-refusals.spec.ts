import { KafkaConnectionError, RebalanceError } from '@goka/core';
import { copartitionAssignor } from '@goka/core/kafka';
import { KafkajsAdapter, KafkajsConsumerGroup } from '@goka/kafkajs';
import type { Consumer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { consumerGroupFixture, rootCause } from '../support/consumer-group-fixture.js';
import { hasAll, logger, range, Recorder } from '../support/group-recorder.js';
import { kafkaClient, uniqueName } from '../support/kafka.js';

describe('KafkajsConsumerGroup on a real broker', () => {
  const { brokers, createTopic, produce, describeGroup, consumerGroup, start } = consumerGroupFixture();

  it('topics that are not copartitioned: the leader cannot plan, and its run rejects with a RebalanceError (Goka\'s message)', async () => {
    const [two, three] = [await createTopic(2), await createTopic(3)];
    const recorder = new Recorder();
    const member = start(consumerGroup(uniqueName('group-not-copartitioned'), [two, three]), recorder);
    await expect(member.run).rejects.toBeInstanceOf(RebalanceError);
    await expect(member.run).rejects.toThrow(/Not all topics are copartitioned/);
    expect(recorder.events).toEqual([]);
  });

  it('unreachable brokers on start: run rejects with a KafkaConnectionError after retryTimeoutMs', async () => {
    const nowhere = ['127.0.0.1:1'];
    const group = new KafkajsConsumerGroup(
      { groupId: uniqueName('group-unreachable'), topics: ['none'], assignor: copartitionAssignor() },
      {
        client: { brokers: nowhere, connectionTimeout: 200 },
        createReader: () => new KafkajsAdapter({ brokers: nowhere, logger }).createReader(),
        logger,
        retryTimeoutMs: 1500,
      },
    );
    const started = Date.now();
    const run = group.run(new Recorder(), new AbortController().signal);
    await expect(run).rejects.toBeInstanceOf(KafkaConnectionError);
    await expect(run).rejects.toThrow(/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  describe('interop with a plain kafkajs consumer (RoundRobin assigner)', () => {
    const kafkajsConsumer = (groupId: string): Consumer =>
      kafkaClient(brokers, 'kafkajs-roundrobin').consumer({ groupId, maxWaitTimeInMs: 200, retry: { retries: 0, restartOnFailure: async () => false } });

    it('is refused with INCONSISTENT_GROUP_PROTOCOL while Goka members hold the group, which goes on undisturbed', async () => {
      const topic = await createTopic(2);
      const groupId = uniqueName('group-interop');
      await produce(topic, range(2), ['a']);
      const recorder = new Recorder({ commitBatches: true });
      const member = start(consumerGroup(groupId, [topic]), recorder);
      await recorder.until('offset 0', () => (hasAll(recorder.received(), range(2), [0]) ? true : undefined));

      const consumer = kafkajsConsumer(groupId);
      const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      const error = await crashed;
      expect(rootCause(error)).toMatchObject({ type: 'INCONSISTENT_GROUP_PROTOCOL' });
      await consumer.disconnect();

      expect(recorder.ofKind('revoked')).toEqual([]);
      const group = await describeGroup(groupId);
      expect(group).toMatchObject({ protocol: 'copartition', state: 'Stable' });
      expect(group.members).toHaveLength(1);
      await member.stop();
    });

    it('a Goka member joining a group the kafkajs consumer holds: run rejects with a RebalanceError', async () => {
      const topic = await createTopic(2);
      const groupId = uniqueName('group-interop-rev');
      const consumer = kafkajsConsumer(groupId);
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachMessage: async () => {} });
      await joined;
      try {
        const recorder = new Recorder();
        const member = start(consumerGroup(groupId, [topic]), recorder);
        await expect(member.run).rejects.toBeInstanceOf(RebalanceError);
        await expect(member.run).rejects.toThrow(/INCONSISTENT_GROUP_PROTOCOL.*copartition/);
        expect(recorder.events).toEqual([]);
      } finally {
        await consumer.disconnect();
      }
    });
  });
});
