import { setTimeout as delay } from 'node:timers/promises';
import { copartitionAssignor } from '@goka/core/kafka';
import type { IsolationLevel } from '@goka/core';
import type { GroupGeneration, TransactionalProducer } from '@goka/core/kafka';
import type { KafkajsAdapter } from '@goka/kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkajsGroupClient, slotOf } from '../../packages/kafkajs/src/group/kafkajs-group-client.js';
import { createGroupCluster } from '../../packages/kafkajs/src/group/kafkajs-group-internals.js';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, committedOffsets, createTopics, recordingLogger } from './processor-harness.js';

/** What the kafkajs consumer group logs while a pending transaction holds the offsets it fetches. */
const WAITING = 'a pending transaction commits offsets of assigned partitions: waiting for it';

/**
 * KIP-447's stable offset fetch on the real broker (issue 16): a read_committed consumer-group member
 * fetches its start offsets with OffsetFetch v7 and require_stable, so a partition whose previous owner
 * committed offsets in a transaction whose markers are not written yet (or that is still open) starts
 * at the transaction's offsets, never at the older ones.
 *
 * The window is a few milliseconds on one local broker: EndTxn answers once the commit is prepared,
 * and the markers reach __consumer_offsets right after. A member that starts then (connect,
 * JoinGroup, SyncGroup, OffsetFetch) rarely hits it: with require_stable forced off, the second test
 * failed in 1 of 6 runs on the development machine (2 of 30 rounds started at the older offset). An
 * OffsetFetch on an open connection right after commit() hits it often (the third test: about 10 of
 * 30 without require_stable). The first test widens the window to seconds: it fails every time
 * without require_stable.
 */
describe('stable committed offsets for read_committed members (KIP-447)', () => {
  const brokers = systemBrokers();
  const kafka: KafkajsAdapter = adapterFor(brokers, { retry: { retries: 3, initialRetryTime: 50, maxRetryTime: 500 } });
  const producers: TransactionalProducer[] = [];

  afterEach(async () => {
    await Promise.all(producers.splice(0).map((created) => created.disconnect().catch(() => undefined)));
  });

  async function producer(): Promise<TransactionalProducer> {
    const created = kafka.createTransactionalProducer({ transactionalId: uniqueName('stable-txn'), transactionTimeoutMs: 20_000 });
    producers.push(created);
    await created.connect();
    return created;
  }

  /** A one-partition topic with `count` committed records at offsets 0..count-1 (the marker after them). */
  async function topicWith(count: number): Promise<string> {
    const name = uniqueName('stable');
    await createTopics(brokers, [{ topic: name, partitions: 1 }]);
    const txn = (await producer()).begin();
    await txn.send(Array.from({ length: count }, (_, i) => ({ topic: name, partition: 0, key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })));
    await txn.commit();
    return name;
  }

  interface Member {
    /** The generation, once `assigned` ran (after the start offsets were fixed). */
    readonly assigned: Promise<GroupGeneration>;
    readonly isAssigned: () => boolean;
    /** The offset of the first record delivered. */
    readonly firstOffset: Promise<number>;
    stop(): Promise<void>;
  }

  /** Starts a member of `groupId` on partition 0 of `topic` (initial offset oldest); it never commits. */
  function member(groupId: string, topic: string, isolationLevel: IsolationLevel, adapter: KafkajsAdapter = kafka): Member {
    const controller = new AbortController();
    let assigned = false;
    let onAssigned!: (generation: GroupGeneration) => void;
    let onFirst!: (offset: number) => void;
    const assignedPromise = new Promise<GroupGeneration>((resolve) => (onAssigned = resolve));
    const first = new Promise<number>((resolve) => (onFirst = resolve));
    const group = adapter.createConsumerGroup({
      groupId,
      topics: [topic],
      assignor: copartitionAssignor(),
      initialOffset: 'oldest',
      isolationLevel,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 300,
    });
    const run = group.run(
      {
        assigned: (session) => {
          assigned = true;
          onAssigned({ groupId, generation: session.generation, memberId: session.memberId });
          return Promise.resolve();
        },
        batch: (_session, _topic, _partition, messages) => {
          const offset = messages[0]?.offset;
          if (offset !== undefined) onFirst(offset);
          return Promise.resolve();
        },
        revoked: () => Promise.resolve(),
      },
      controller.signal,
    );
    const stopped = run.then(() => Promise.reject(new Error('the member stopped')));
    stopped.catch(() => undefined);
    const within = <T>(promise: Promise<T>, what: string): Promise<T> => {
      const timeout = delay(20_000, undefined, { ref: false }).then(() => Promise.reject(new Error(`timed out waiting for ${what}`)));
      const raced = Promise.race([promise, stopped, timeout]);
      raced.catch(() => undefined); // awaited only when the test needs it
      return raced;
    };
    return {
      assigned: within(assignedPromise, 'the assignment'),
      isAssigned: () => assigned,
      firstOffset: within(first, 'the first record'),
      stop: async () => {
        controller.abort();
        await run;
      },
    };
  }

  it('a read_committed member waits while an open transaction holds its offsets, then starts at them; read_uncommitted does not wait', async () => {
    const name = await topicWith(10); // records 0..9
    const groupId = uniqueName('stable-open');
    const txnProducer = await producer();
    const owner = member(groupId, name, 'read_uncommitted');
    const generation = await owner.assigned;
    const old = txnProducer.begin();
    await old.sendOffsets(generation, [{ topic: name, partition: 0, offset: 2 }]);
    await old.commit();
    await eventually(async () => expect((await committedOffsets(brokers, groupId, name)).get(0)).toBe(2), { timeoutMs: 10_000, intervalMs: 100 });
    const open = txnProducer.begin();
    await open.sendOffsets(generation, [{ topic: name, partition: 0, offset: 6 }]);
    await owner.stop();

    // without require_stable (read_uncommitted: kafkajs' OffsetFetch) the older offset comes at once
    const uncommitted = member(groupId, name, 'read_uncommitted');
    expect(await uncommitted.firstOffset).toBe(2);
    await uncommitted.stop();

    const recorded = recordingLogger();
    const committed = member(groupId, name, 'read_committed', adapterFor(brokers, { logger: recorded.logger }));
    try {
      await delay(2000);
      // OffsetFetch answered UNSTABLE_OFFSET_COMMIT and is asked again: the start offsets are not fixed yet
      expect({ waiting: recorded.infos.includes(WAITING), assigned: committed.isAssigned() }).toEqual({ waiting: true, assigned: false });
      await open.commit();
      expect(await committed.firstOffset).toBe(6);
    } finally {
      await committed.stop();
    }
  });

  it('a read_committed member started as the previous owner’s transaction commits starts at its offsets, 30 times', async () => {
    const iterations = 30;
    const name = await topicWith(iterations + 5);
    const groupId = uniqueName('stable-race');
    const txnProducer = await producer();
    const starts: Array<{ target: number; first: number; startedBeforeCommitResolved: boolean }> = [];
    for (let i = 0; i < iterations; i++) {
      const target = i + 1;
      const owner = member(groupId, name, 'read_uncommitted');
      const generation = await owner.assigned;
      const txn = txnProducer.begin();
      await txn.sendOffsets(generation, [{ topic: name, partition: 0, offset: target }]);
      await owner.stop(); // the partition moves: the new owner joins a group the old one left
      // Even rounds start the new owner right after commit() resolved (EndTxn answered, markers not
      // necessarily written), odd rounds while EndTxn is still in flight.
      const startedBeforeCommitResolved = i % 2 === 1;
      const committing = txn.commit();
      if (!startedBeforeCommitResolved) await committing;
      const next = member(groupId, name, 'read_committed');
      await committing;
      try {
        starts.push({ target, first: await next.firstOffset, startedBeforeCommitResolved });
      } finally {
        await next.stop();
      }
    }
    expect(starts.filter(({ target, first }) => first !== target)).toEqual([]);
  });

  it('right after commit() resolves, the stable fetch answers the transaction’s offsets, 30 times (the fetch without require_stable may not)', async () => {
    const iterations = 30;
    const name = await topicWith(1);
    const groupId = uniqueName('stable-window');
    const txnProducer = await producer();
    const owner = member(groupId, name, 'read_uncommitted');
    const generation = await owner.assigned;
    const client = (requireStable: boolean): KafkajsGroupClient =>
      new KafkajsGroupClient(
        createGroupCluster({ brokers: [...brokers], clientId: uniqueName('stable-client'), connectionTimeout: 1000, requestTimeout: 10_000, logCreator: () => () => undefined }),
        groupId,
        { requireStable },
      );
    const stable = client(true);
    const plain = client(false);
    const partitions = new Map([[name, [0]]]);
    const stableAnswers: Array<number | undefined> = [];
    const plainAnswers: Array<number | undefined> = [];
    try {
      await Promise.all([stable.committed(partitions), plain.committed(partitions)]); // connected, coordinator known
      for (let target = 1; target <= iterations; target++) {
        const txn = txnProducer.begin();
        await txn.sendOffsets(generation, [{ topic: name, partition: 0, offset: target }]);
        await txn.commit();
        const [fromStable, fromPlain] = await Promise.all([stable.committed(partitions), plain.committed(partitions)]);
        stableAnswers.push(fromStable.get(slotOf(name, 0)));
        plainAnswers.push(fromPlain.get(slotOf(name, 0)));
      }
    } finally {
      await Promise.allSettled([stable.disconnect(), plain.disconnect(), owner.stop()]);
    }
    expect(stableAnswers).toEqual(Array.from({ length: iterations }, (_, i) => i + 1));
    // Without require_stable the older offset came back in about a third of the rounds on the
    // development machine (10 of 30); not asserted, as it depends on timing.
    expect(plainAnswers.every((offset, i) => offset === i + 1 || offset === i || (i === 0 && offset === undefined))).toBe(true);
  });
});
