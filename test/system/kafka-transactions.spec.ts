import { CommitFailedError, ProducerFencedError } from '@goka/core';
import { copartitionAssignor } from '@goka/core/kafka';
import type { IsolationLevel } from '@goka/core';
import type { GroupGeneration, GroupSession, OutgoingMessage, TransactionalProducer } from '@goka/core/kafka';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, committedOffsets, createTopics } from './processor-harness.js';

/**
 * The kafkajs adapter's transactions on the real broker (issue 16, Kafka layer): the transactional
 * producer (InitProducerId, AddPartitionsToTxn, transactional Produce, AddOffsetsToTxn +
 * TxnOffsetCommit, EndTxn; fencing) and read_committed reading (reader, consumer group, admin
 * offsets), cross-checked against kafkajs' own transactional producer.
 */
describe('Kafka transactions on a real broker', () => {
  const brokers = systemBrokers();
  const kafka: KafkajsAdapter = adapterFor(brokers, { retry: { retries: 3, initialRetryTime: 50, maxRetryTime: 500 } });
  const producers: TransactionalProducer[] = [];

  afterEach(async () => {
    await Promise.all(producers.splice(0).map((created) => created.disconnect().catch(() => undefined)));
  });

  async function producer(transactionalId: string): Promise<TransactionalProducer> {
    const created = kafka.createTransactionalProducer({ transactionalId, transactionTimeoutMs: 20_000 });
    producers.push(created);
    await created.connect();
    return created;
  }

  async function topic(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await createTopics(brokers, [{ topic: name, partitions: 1 }]);
    return name;
  }

  const record = (topicName: string, value: string): OutgoingMessage => ({
    topic: topicName,
    partition: 0,
    key: Buffer.from(`k-${value}`),
    value: Buffer.from(value),
  });

  const records = (topicName: string, ...values: string[]): OutgoingMessage[] => values.map((value) => record(topicName, value));

  /** Reads partition 0 from offset 0 until a batch reaches its end (the LSO with read_committed). */
  async function readToEnd(
    topicName: string,
    isolationLevel: IsolationLevel,
  ): Promise<{ values: string[]; offsets: number[]; nextOffset: number; highWatermark: number }> {
    const reader = kafka.createReader({ isolationLevel });
    await reader.connect();
    const signal = AbortSignal.timeout(15_000);
    const values: string[] = [];
    const offsets: number[] = [];
    try {
      for await (const batch of reader.read(topicName, 0, 0, signal)) {
        for (const message of batch.messages) {
          values.push(message.value?.toString() ?? '');
          offsets.push(message.offset);
        }
        if (batch.nextOffset >= batch.highWatermark) return { values, offsets, nextOffset: batch.nextOffset, highWatermark: batch.highWatermark };
      }
      throw new Error(`reading ${topicName} timed out`);
    } finally {
      await reader.disconnect();
    }
  }

  /**
   * EndTxn answers once the coordinator prepared the commit; it writes the markers (which move the
   * last stable offset) right after. Checks after a commit therefore wait for them.
   */
  const settled = (check: () => Promise<void>): Promise<void> => eventually(check, { timeoutMs: 10_000, intervalMs: 100 });

  /** What a consumer group member with `isolationLevel` receives, once it has `count` records. */
  async function groupReceives(topicName: string, isolationLevel: IsolationLevel, count: number): Promise<string[]> {
    const values: string[] = [];
    const controller = new AbortController();
    let enough!: () => void;
    const received = new Promise<void>((resolve) => (enough = resolve));
    const group = kafka.createConsumerGroup({
      groupId: uniqueName('txn-group'),
      topics: [topicName],
      assignor: copartitionAssignor(),
      initialOffset: 'oldest',
      isolationLevel,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 300,
    });
    const run = group.run(
      {
        assigned: () => Promise.resolve(),
        batch: (_session, _topic, _partition, messages) => {
          values.push(...messages.map((message) => message.value?.toString() ?? ''));
          if (values.length >= count) enough();
          return Promise.resolve();
        },
        revoked: () => Promise.resolve(),
      },
      controller.signal,
    );
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref());
    await Promise.race([received, timeout, run]);
    controller.abort();
    await run;
    return values;
  }

  /** Runs a consumer group member of `groupId` on `topicName` and hands its generation to `use`. */
  async function withGeneration<T>(groupId: string, topicName: string, use: (generation: GroupGeneration) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let joined!: (session: GroupSession) => void;
    const session = new Promise<GroupSession>((resolve) => (joined = resolve));
    const group = kafka.createConsumerGroup({
      groupId,
      topics: [topicName],
      assignor: copartitionAssignor(),
      initialOffset: 'oldest',
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 300,
    });
    const run = group.run(
      {
        assigned: (assignedSession) => {
          joined(assignedSession);
          return Promise.resolve();
        },
        batch: () => Promise.resolve(),
        revoked: () => Promise.resolve(),
      },
      controller.signal,
    );
    try {
      const { generation, memberId } = await Promise.race([session, run.then(() => Promise.reject(new Error('the member stopped')))]);
      return await use({ groupId, generation, memberId });
    } finally {
      controller.abort();
      await run.catch(() => undefined);
    }
  }

  it('a committed transaction is visible to a read_committed reader and consumer group, markers skipped', async () => {
    const name = await topic('txn-commit');
    const txn = (await producer(uniqueName('txn'))).begin();
    const produced = await txn.send(records(name, 'a', 'b', 'c'));
    expect(produced.map((p) => p.offset)).toEqual([0, 1, 2]);
    await txn.commit();

    // the commit marker takes offset 3: the reader's next offset passes it
    await settled(async () => {
      expect(await readToEnd(name, 'read_committed')).toEqual({ values: ['a', 'b', 'c'], offsets: [0, 1, 2], nextOffset: 4, highWatermark: 4 });
    });
    expect(await groupReceives(name, 'read_committed', 3)).toEqual(['a', 'b', 'c']);
  });

  it('an aborted transaction is invisible to read_committed and visible to read_uncommitted; next offsets pass it', async () => {
    const name = await topic('txn-abort');
    const txnProducer = await producer(uniqueName('txn'));
    const aborted = txnProducer.begin();
    await aborted.send(records(name, 'x1', 'x2'));
    await aborted.abort(); // marker at 2
    const committed = txnProducer.begin();
    await committed.send(records(name, 'ok')); // offset 3
    await committed.commit(); // marker at 4

    await settled(async () => {
      expect(await readToEnd(name, 'read_committed')).toEqual({ values: ['ok'], offsets: [3], nextOffset: 5, highWatermark: 5 });
    });
    const uncommitted = await readToEnd(name, 'read_uncommitted');
    expect(uncommitted.values).toEqual(['x1', 'x2', 'ok']);
    expect(uncommitted.offsets).toEqual([0, 1, 3]);
    expect(await groupReceives(name, 'read_committed', 1)).toEqual(['ok']);
    expect(await groupReceives(name, 'read_uncommitted', 3)).toEqual(['x1', 'x2', 'ok']);
  });

  it('offsets added with sendOffsets become the group’s committed offsets on commit only', async () => {
    const name = await topic('txn-offsets');
    const groupId = uniqueName('txn-offsets-group');
    const txnProducer = await producer(uniqueName('txn'));
    await withGeneration(groupId, name, async (generation) => {
      const aborted = txnProducer.begin();
      await aborted.send(records(name, 'out'));
      await aborted.sendOffsets(generation, [{ topic: name, partition: 0, offset: 7 }]);
      expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(-1);
      await aborted.abort();
      expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(-1);

      const txn = txnProducer.begin();
      await txn.sendOffsets(generation, [{ topic: name, partition: 0, offset: 5 }]);
      expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(-1);
      await txn.commit();
      await settled(async () => {
        expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(5);
      });
    });
  });

  it('sendOffsets with a stale generation rejects with CommitFailedError; the transaction then only aborts', async () => {
    const name = await topic('txn-stale');
    const groupId = uniqueName('txn-stale-group');
    const txnProducer = await producer(uniqueName('txn'));
    await withGeneration(groupId, name, async (generation) => {
      const txn = txnProducer.begin();
      await txn.send(records(name, 'doomed'));
      const stale = { ...generation, generation: generation.generation - 1 };
      await expect(txn.sendOffsets(stale, [{ topic: name, partition: 0, offset: 1 }])).rejects.toBeInstanceOf(CommitFailedError);
      await expect(txn.commit()).rejects.toThrow(/abort/);
      await txn.abort();
      // the producer is not fenced: the next transaction commits
      const next = txnProducer.begin();
      await next.send(records(name, 'fine'));
      await next.sendOffsets(generation, [{ topic: name, partition: 0, offset: 2 }]);
      await next.commit();
    });
    await settled(async () => {
      expect((await readToEnd(name, 'read_committed')).values).toEqual(['fine']);
      expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(2);
    });
  });

  it('a second producer with the same transactional id fences the first and aborts its open transaction', async () => {
    const name = await topic('txn-fence');
    const transactionalId = uniqueName('txn');
    const first = await producer(transactionalId);
    const zombie = first.begin();
    await zombie.send(records(name, 'zombie-1'));

    const second = await producer(transactionalId);
    const sendError = await zombie.send(records(name, 'zombie-2')).catch((error: unknown) => error);
    expect(sendError).toBeInstanceOf(ProducerFencedError);
    expect((sendError as ProducerFencedError).transactionalId).toBe(transactionalId);
    await expect(zombie.commit()).rejects.toBeInstanceOf(ProducerFencedError);
    expect(() => first.begin()).toThrow(ProducerFencedError);

    const txn = second.begin();
    await txn.send(records(name, 'successor'));
    await txn.commit();
    await settled(async () => {
      expect((await readToEnd(name, 'read_committed')).values).toEqual(['successor']);
    });
    // the zombie's first record was written, then aborted by the fencing
    expect((await readToEnd(name, 'read_uncommitted')).values).toEqual(['zombie-1', 'successor']);
  });

  it('an open transaction holds read_committed readers and admin offsets at the last stable offset until it commits', async () => {
    const name = await topic('txn-lso');
    const txnProducer = await producer(uniqueName('txn'));
    const admin = kafka.createAdmin();
    await admin.connect();
    try {
    const first = txnProducer.begin();
    await first.send(records(name, 'early')); // 0, marker 1
    await first.commit();
    await settled(async () => {
      expect(await admin.offsets(name, [0], 'read_committed')).toEqual([{ oldest: 0, hwm: 2 }]);
    });
    const open = txnProducer.begin();
    await open.send(records(name, 'late-1', 'late-2')); // 2, 3

      expect(await admin.offsets(name, [0], 'read_committed')).toEqual([{ oldest: 0, hwm: 2 }]);
      expect(await admin.offsets(name, [0], 'read_uncommitted')).toEqual([{ oldest: 0, hwm: 4 }]);
      expect(await admin.offsets(name, [0])).toEqual([{ oldest: 0, hwm: 4 }]);

      const held = await readToEnd(name, 'read_committed');
      expect(held).toEqual({ values: ['early'], offsets: [0], nextOffset: 2, highWatermark: 2 });
      expect((await readToEnd(name, 'read_uncommitted')).values).toEqual(['early', 'late-1', 'late-2']);

      await open.commit(); // marker 4
      await settled(async () => {
        expect(await admin.offsets(name, [0], 'read_committed')).toEqual([{ oldest: 0, hwm: 5 }]);
        expect(await readToEnd(name, 'read_committed')).toEqual({
          values: ['early', 'late-1', 'late-2'],
          offsets: [0, 2, 3],
          nextOffset: 5,
          highWatermark: 5,
        });
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('reads committed and aborted transactions written by kafkajs’ own transactional producer', async () => {
    const name = await topic('txn-kafkajs');
    const client = kafkaClient(brokers, 'txn-interop', { logLevel: logLevel.NOTHING }); // it logs the CONCURRENT_TRANSACTIONS it retries
    const writer = client.producer({ transactionalId: uniqueName('kafkajs-txn'), idempotent: true, maxInFlightRequests: 1 });
    await writer.connect();
    try {
      const write = async (values: string[], commit: boolean): Promise<void> => {
        const txn = await writer.transaction();
        await txn.send({ topic: name, messages: values.map((value) => ({ key: value, value, partition: 0 })) });
        await (commit ? txn.commit() : txn.abort());
      };
      await write(['c1', 'c2'], true);
      await write(['a1', 'a2', 'a3'], false);
      await write(['c3'], true);
      await write(['a4'], false);
      await write(['c4', 'c5'], true);
    } finally {
      await writer.disconnect();
    }
    // 9 records and 5 markers
    await settled(async () => {
      const committed = await readToEnd(name, 'read_committed');
      expect(committed.values).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
      expect(committed.nextOffset).toBe(14);
    });
    expect((await readToEnd(name, 'read_uncommitted')).values).toEqual(['c1', 'c2', 'a1', 'a2', 'a3', 'c3', 'a4', 'c4', 'c5']);
    expect(await groupReceives(name, 'read_committed', 5)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
  });
});
