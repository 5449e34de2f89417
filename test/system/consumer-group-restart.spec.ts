import { copartitionAssignor } from '@goka/core/kafka';
import { KafkajsAdapter, KafkajsConsumerGroup } from '@goka/kafkajs';
import { describe, expect, it } from 'vitest';
import { waitCommitted } from '../support/consumer-group-fixture.js';
import { hasAll, logger, range, Recorder } from '../support/group-recorder.js';
import { explicitPartitioner, kafkaClient, uniqueName } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';

/**
 * The member's own broker (port 19392), killed and restarted: never the shared one. A member keeps its
 * run through the outage and goes on consuming and committing once the broker is back.
 */
describe('KafkajsConsumerGroup through a broker restart', () => {
  const broker = ownBroker(19392);

  it('reconnects with backoff: consumes records written after the restart, and commits them', async () => {
    const brokers = [...broker().brokers];
    const kafka = kafkaClient(brokers, 'consumer-group-restart', { retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2000 } });
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('group-restart');
    const groupId = uniqueName('group-restart');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const send = async (value: string): Promise<void> => {
      const producer = kafka.producer({ createPartitioner: explicitPartitioner });
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: range(2).map((partition) => ({ partition, value })) });
      } finally {
        await producer.disconnect();
      }
    };
    await send('before');
    await admin.disconnect();

    const adapter = new KafkajsAdapter({ brokers, logger, connectionTimeout: 1000, readerRetryTimeoutMs: 120_000 });
    const recorder = new Recorder({ commitBatches: true });
    const group = new KafkajsConsumerGroup(
      { groupId, topics: [topic], assignor: copartitionAssignor(), initialOffset: 'oldest', sessionTimeoutMs: 6000, heartbeatIntervalMs: 300 },
      { client: { brokers, clientId: 'goka-group-restart', connectionTimeout: 1000 }, createReader: () => adapter.createReader(), logger },
    );
    const controller = new AbortController();
    const run = group.run(recorder, controller.signal);
    let settled = false;
    run.then(() => (settled = true), () => (settled = true));
    await recorder.until('offset 0', () => (hasAll(recorder.received(), range(2), [0]) ? true : undefined));

    await broker().kill(1, 'SIGKILL');
    await broker().restart(1);
    await send('after');
    await recorder.until('offset 1 after the restart', () => (hasAll(recorder.received(), range(2), [1]) ? true : undefined), 90_000);
    expect(settled).toBe(false);

    const check = kafka.admin();
    await check.connect();
    try {
      await waitCommitted(async () => {
        const [answer] = await check.fetchOffsets({ groupId, topics: [topic] });
        return new Map((answer?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      }, new Map(range(2).map((p) => [p, 2])));
    } finally {
      await check.disconnect();
    }
    controller.abort();
    await run;
  });
});
