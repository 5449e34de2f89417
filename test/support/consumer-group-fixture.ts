import { copartitionAssignor } from '@goka/core/kafka';
import type { ConsumerGroupOptions, GroupHandler } from '@goka/core/kafka';
import { KafkajsAdapter, KafkajsConsumerGroup } from '@goka/kafkajs';
import type { Admin, GroupDescription, Producer } from 'kafkajs';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTopics } from '../system/processor-harness.js';
import { eventually } from './eventually.js';
import { logger } from './group-recorder.js';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from './kafka.js';

/** How a run settled so far. */
export interface Member {
  readonly run: Promise<void>;
  readonly outcome: { settled: 'pending' | 'resolved' | 'rejected'; error: unknown };
  stop(): Promise<void>;
}

export interface ConsumerGroupFixture {
  readonly brokers: readonly string[];
  /** A fresh topic of `partitions` partitions, every one with a leader. */
  createTopic(partitions: number): Promise<string>;
  /** Writes `values` to each of `partitions`, in order. */
  produce(topic: string, partitions: readonly number[], values: readonly string[]): Promise<void>;
  committed(groupId: string, topic: string): Promise<Map<number, number>>;
  describeGroup(groupId: string): Promise<GroupDescription>;
  consumerGroup(groupId: string, topics: readonly string[], options?: Partial<ConsumerGroupOptions>): KafkajsConsumerGroup;
  start(group: KafkajsConsumerGroup, handler: GroupHandler): Member;
}

/**
 * The shared broker's admin and producer (connected before the suite's tests, closed after them) and
 * the consumer groups the specs run on it; call it inside a `describe`.
 */
export function consumerGroupFixture(): ConsumerGroupFixture {
  const brokers = systemBrokers();
  const adapter = new KafkajsAdapter({ brokers, logger });
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    const kafka = kafkaClient(brokers, 'consumer-group-test');
    admin = kafka.admin();
    // Idempotent: a send that kafkajs retries (NOT_LEADER right after a topic was created) must not
    // write the partitions it already wrote twice — the tests count offsets exactly.
    producer = kafka.producer({ createPartitioner: explicitPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  const createTopic = async (partitions: number): Promise<string> => {
    const topic = uniqueName('group-input');
    // Through the adapter's admin: it waits until every partition has a leader the metadata serves.
    await createTopics(brokers, [{ topic, partitions }]);
    return topic;
  };

  /** Writes `values` to each of `partitions`, in order. */
  const produce = async (topic: string, partitions: readonly number[], values: readonly string[]): Promise<void> => {
    await producer.send({
      topic,
      acks: -1,
      messages: partitions.flatMap((partition) => values.map((value) => ({ partition, key: `k${partition}`, value }))),
    });
  };

  const committed = async (groupId: string, topic: string): Promise<Map<number, number>> => {
    const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((answer?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  };

  const describeGroup = async (groupId: string) => {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (group === undefined) throw new Error(`no description of group ${groupId}`);
    return group;
  };

  const consumerGroup = (groupId: string, topics: readonly string[], options: Partial<ConsumerGroupOptions> = {}): KafkajsConsumerGroup =>
    new KafkajsConsumerGroup(
      {
        groupId,
        topics,
        assignor: copartitionAssignor(),
        initialOffset: 'oldest',
        sessionTimeoutMs: 6000,
        heartbeatIntervalMs: 300,
        rebalanceTimeoutMs: 30_000,
        clientId: 'goka-group-test',
        ...options,
      },
      {
        client: { brokers, clientId: 'goka-group-test', connectionTimeout: 3000 },
        createReader: () => adapter.createReader({ clientId: 'goka-group-test' }),
        logger,
      },
    );

  const start = (group: KafkajsConsumerGroup, handler: GroupHandler): Member => {
    const controller = new AbortController();
    const outcome: Member['outcome'] = { settled: 'pending', error: undefined };
    const run = group.run(handler, controller.signal);
    run.then(
      () => (outcome.settled = 'resolved'),
      (error: unknown) => {
        outcome.settled = 'rejected';
        outcome.error = error;
      },
    );
    return {
      run,
      outcome,
      stop: async () => {
        controller.abort();
        await run;
      },
    };
  };

  return { brokers, createTopic, produce, committed, describeGroup, consumerGroup, start };
}

/** Waits until Kafka reports the expected committed offsets (a commit may still be in flight). */
export async function waitCommitted(read: () => Promise<Map<number, number>>, expected: Map<number, number>): Promise<void> {
  await eventually(async () => expect(await read()).toEqual(expected));
}

export function rootCause(error: unknown): unknown {
  let current = error;
  while (typeof current === 'object' && current !== null && (current as { cause?: unknown }).cause !== undefined) {
    current = (current as { cause?: unknown }).cause;
  }
  return current;
}
