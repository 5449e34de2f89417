import { CommitFailedError, KafkaConnectionError, RebalanceError, silentLogger, streamLogger } from '@goka/core';
import { copartitionAssignor } from '@goka/core/kafka';
import type { GokaLogger, KafkaMessage } from '@goka/core';
import type { CommitOffset, ConsumerGroupOptions, GroupHandler, GroupSession } from '@goka/core/kafka';
import { KafkajsAdapter, KafkajsConsumerGroup } from '@goka/kafkajs';
import { AssignerProtocol } from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { explicitPartitioner, kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';
import { createTopics } from './processor-harness.js';

/** GROUP_TEST_LOG=1 prints the members' log lines (debug level). */
const logger: GokaLogger = process.env['GROUP_TEST_LOG'] === undefined ? silentLogger : streamLogger('debug');

/** Orders events across all members of a test. */
let sequence = 0;

interface SetupEvent {
  readonly kind: 'assigned' | 'assigned-done';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
  readonly assignment: number[];
}
interface EndEvent {
  readonly kind: 'revoked' | 'revoked-done';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
}
interface BatchEvent {
  readonly kind: 'batch';
  readonly seq: number;
  readonly generation: number;
  readonly memberId: string;
  readonly partition: number;
  readonly offsets: number[];
  readonly values: string[];
}
type GroupEvent = SetupEvent | EndEvent | BatchEvent;
interface EventsByKind {
  readonly assigned: SetupEvent;
  readonly 'assigned-done': SetupEvent;
  readonly revoked: EndEvent;
  readonly 'revoked-done': EndEvent;
  readonly batch: BatchEvent;
}

interface RecorderBehaviour {
  /** Commit the next offset after every batch. */
  readonly commitBatches?: boolean;
  /** In `revoked`, commit the next offset of every assigned partition this member has read. */
  readonly commitInRevoked?: boolean;
  /** Runs inside `assigned` (before it resolves). */
  readonly onAssigned?: (session: GroupSession) => Promise<void>;
  /** Runs inside `revoked`, before its commit. */
  readonly onRevoked?: (session: GroupSession) => Promise<void>;
  /** Runs before a batch is recorded; throwing rejects the batch. */
  readonly onBatch?: (messages: readonly KafkaMessage[]) => void;
}

/**
 * A group handler that records what happens (with a global order) and lets a test await a condition
 * on the recorded events: each event re-checks the waiting conditions, no polling.
 */
class Recorder implements GroupHandler {
  readonly events: GroupEvent[] = [];
  /** Commits refused with CommitFailedError. */
  commitsRefused = 0;
  /** Highest offset read per partition. */
  private readonly read = new Map<number, number>();
  private waiters: Array<() => void> = [];

  constructor(private readonly behaviour: RecorderBehaviour = {}) {}

  async assigned(session: GroupSession): Promise<void> {
    this.record({ kind: 'assigned', ...this.at(session), assignment: partitionsOf(session) });
    await this.behaviour.onAssigned?.(session);
    this.record({ kind: 'assigned-done', ...this.at(session), assignment: partitionsOf(session) });
  }

  async batch(session: GroupSession, topic: string, partition: number, messages: readonly KafkaMessage[]): Promise<void> {
    this.behaviour.onBatch?.(messages);
    const offsets = messages.map((m) => m.offset);
    this.record({ kind: 'batch', ...this.at(session), partition, offsets, values: messages.map((m) => m.value?.toString() ?? '') });
    const last = offsets[offsets.length - 1] ?? -1;
    this.read.set(partition, Math.max(this.read.get(partition) ?? -1, last));
    if (this.behaviour.commitBatches === true) await this.commit(session, [{ topic, partition, offset: last + 1 }]);
  }

  async revoked(session: GroupSession): Promise<void> {
    this.record({ kind: 'revoked', ...this.at(session) });
    await this.behaviour.onRevoked?.(session);
    if (this.behaviour.commitInRevoked === true) {
      const offsets: CommitOffset[] = [];
      for (const [topic, partitions] of session.assignment) {
        for (const partition of partitions) {
          const last = this.read.get(partition);
          if (last !== undefined) offsets.push({ topic, partition, offset: last + 1 });
        }
      }
      await this.commit(session, offsets);
    }
    this.record({ kind: 'revoked-done', ...this.at(session) });
  }

  /** Commits; a generation that is over (the group moved on without this member) is no error here. */
  private async commit(session: GroupSession, offsets: readonly CommitOffset[]): Promise<void> {
    try {
      await session.commit(offsets);
    } catch (error) {
      if (!(error instanceof CommitFailedError)) throw error;
      this.commitsRefused += 1;
    }
  }

  /** Offsets read per partition, over all generations. */
  received(): Map<number, number[]> {
    const result = new Map<number, number[]>();
    for (const event of this.events) {
      if (event.kind !== 'batch') continue;
      result.set(event.partition, [...(result.get(event.partition) ?? []), ...event.offsets]);
    }
    return result;
  }

  ofKind<K extends keyof EventsByKind>(kind: K): Array<EventsByKind[K]> {
    return this.events.filter((event) => event.kind === kind) as Array<EventsByKind[K]>;
  }

  /** Resolves once `check` returns something other than `undefined` (checked now and after each event). */
  until<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const probe = (): boolean => {
        const value = check();
        if (value === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== onEvent);
        resolve(value);
        return true;
      };
      const onEvent = (): void => void probe();
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== onEvent);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; events: ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      if (!probe()) this.waiters.push(onEvent);
    });
  }

  private at(session: GroupSession): { seq: number; generation: number; memberId: string } {
    sequence += 1;
    return { seq: sequence, generation: session.generation, memberId: session.memberId };
  }

  private record(event: GroupEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters) waiter();
  }
}

function partitionsOf(session: GroupSession): number[] {
  return [...new Set([...session.assignment.values()].flat())].sort((a, b) => a - b);
}

/** How a run settled so far. */
interface Member {
  readonly run: Promise<void>;
  readonly outcome: { settled: 'pending' | 'resolved' | 'rejected'; error: unknown };
  stop(): Promise<void>;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const hasAll = (received: Map<number, number[]>, partitions: readonly number[], offsets: readonly number[]): boolean =>
  partitions.every((p) => offsets.every((o) => received.get(p)?.includes(o) === true));

describe('KafkajsConsumerGroup on a real broker', () => {
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

  it('a single member: protocol copartition, all partitions from the oldest offset, commits = next offset; a restart resumes there', async () => {
    const topic = await createTopic(3);
    const groupId = uniqueName('group-single');
    await produce(topic, range(3), ['a', 'b', 'c', 'd', 'e']);

    const first = new Recorder({ commitBatches: true });
    const member = start(consumerGroup(groupId, [topic]), first);
    await first.until('offsets 0..4 of every partition', () => (hasAll(first.received(), range(3), range(5)) ? true : undefined));
    const [assigned] = first.ofKind('assigned');
    expect(assigned?.assignment).toEqual([0, 1, 2]);
    // assigned resolved before the first batch
    const firstBatch = first.ofKind('batch')[0];
    expect(first.ofKind('assigned-done')[0]?.seq).toBeLessThan(firstBatch?.seq ?? 0);
    for (const p of range(3)) expect([...(first.received().get(p) ?? [])].sort((a, b) => a - b)).toEqual(range(5));

    const group = await describeGroup(groupId);
    expect(group).toMatchObject({ protocol: 'copartition', protocolType: 'consumer', state: 'Stable' });
    expect(group.members).toHaveLength(1);
    const [description] = group.members;
    expect(description?.memberId).toBe(assigned?.memberId);
    expect(AssignerProtocol.MemberMetadata.decode(description?.memberMetadata ?? Buffer.alloc(0))).toMatchObject({ version: 0, topics: [topic] });
    expect(AssignerProtocol.MemberAssignment.decode(description?.memberAssignment ?? Buffer.alloc(0))).toMatchObject({
      version: 0,
      assignment: { [topic]: [0, 1, 2] },
    });

    // The commits of the last batches may still be in flight: wait until Kafka has them.
    await waitCommitted(() => committed(groupId, topic), new Map(range(3).map((p) => [p, 5])));

    await member.stop();
    expect(first.events[first.events.length - 1]?.kind).toBe('revoked-done');
    expect((await describeGroup(groupId)).state).toBe('Empty'); // it left the group

    // A restart resumes from the commits: only the records written since are read.
    await produce(topic, range(3), ['f', 'g', 'h']);
    const second = new Recorder({ commitBatches: true });
    const again = start(consumerGroup(groupId, [topic]), second);
    await second.until('offsets 5..7 of every partition', () => (hasAll(second.received(), range(3), [5, 6, 7]) ? true : undefined));
    for (const p of range(3)) expect(second.received().get(p)).toEqual([5, 6, 7]);
    await waitCommitted(() => committed(groupId, topic), new Map(range(3).map((p) => [p, 8])));
    await again.stop();
    expect(again.outcome.settled).toBe('resolved');
  });

  it("initialOffset 'newest' (Goka's default): only records written after the start", async () => {
    const topic = await createTopic(2);
    const groupId = uniqueName('group-newest');
    await produce(topic, range(2), ['old-1', 'old-2']);
    const recorder = new Recorder({ commitBatches: true });
    const member = start(consumerGroup(groupId, [topic], { initialOffset: 'newest' }), recorder);
    // Where partitions start is fixed before `assigned`: whatever is written from then on is read.
    await recorder.until('assigned', () => recorder.ofKind('assigned')[0]);
    await produce(topic, range(2), ['new-1']);
    await recorder.until('the new records', () => (hasAll(recorder.received(), range(2), [2]) ? true : undefined));
    for (const p of range(2)) expect(recorder.received().get(p)).toEqual([2]);
    await member.stop();
  });

  it("two members over 6 partitions: Goka's plan by sorted member id, revoke before reassign, commits in revoked kept", async () => {
    const topic = await createTopic(6);
    const groupId = uniqueName('group-two');
    await produce(topic, range(6), ['a', 'b']);

    const first = new Recorder({ commitInRevoked: true });
    const a = start(consumerGroup(groupId, [topic]), first);
    await first.until('offsets 0..1 of the 6 partitions', () => (hasAll(first.received(), range(6), [0, 1]) ? true : undefined));
    const generation1 = first.ofKind('assigned')[0]?.generation ?? -1;
    // Nothing was committed yet: the first member commits only when its partitions are revoked.
    expect(await committed(groupId, topic)).toEqual(new Map(range(6).map((p) => [p, -1])));

    const second = new Recorder({ commitBatches: true, commitInRevoked: true });
    const b = start(consumerGroup(groupId, [topic]), second);
    const [assignedA, assignedB] = await Promise.all([
      first.until('a second generation of the first member', () => first.ofKind('assigned')[1]),
      second.until('the second member joined', () => second.ofKind('assigned')[0]),
    ]);
    expect(assignedA.generation).toBe(assignedB.generation);
    expect(assignedA.generation).toBeGreaterThan(generation1);

    // Goka's copartition plan: members sorted by id, contiguous ranges.
    const [low, high] = [assignedA, assignedB].sort((x, y) => (x.memberId < y.memberId ? -1 : 1));
    expect(low?.assignment).toEqual([0, 1, 2]);
    expect(high?.assignment).toEqual([3, 4, 5]);

    // The first member's generation ended (revoked awaited) before anyone got the new assignment.
    const revokedA = first.ofKind('revoked-done').find((e) => e.generation === generation1);
    expect(revokedA).toBeDefined();
    expect(revokedA?.seq).toBeLessThan(assignedA.seq);
    expect(revokedA?.seq).toBeLessThan(assignedB.seq);
    expect(first.ofKind('revoked')[0]?.seq).toBeGreaterThan(first.ofKind('batch').at(-1)?.seq ?? 0);

    // The commits made in `revoked` are kept: every partition continues at offset 2, whoever owns it.
    expect(await committed(groupId, topic)).toEqual(new Map(range(6).map((p) => [p, 2])));
    await produce(topic, range(6), ['c']);
    const mine = (recorder: Recorder, generation: number): Map<number, number[]> => {
      const result = new Map<number, number[]>();
      for (const e of recorder.ofKind('batch')) {
        if (e.generation === generation) result.set(e.partition, [...(result.get(e.partition) ?? []), ...e.offsets]);
      }
      return result;
    };
    const g2 = assignedA.generation;
    await Promise.all([
      first.until('offset 2 of its partitions', () => (hasAll(mine(first, g2), assignedA.assignment, [2]) ? true : undefined)),
      second.until('offset 2 of its partitions', () => (hasAll(mine(second, g2), assignedB.assignment, [2]) ? true : undefined)),
    ]);
    expect(mine(first, g2)).toEqual(new Map(assignedA.assignment.map((p) => [p, [2]])));
    expect(mine(second, g2)).toEqual(new Map(assignedB.assignment.map((p) => [p, [2]])));

    await Promise.all([a.stop(), b.stop()]);
  });

  it('a long `assigned` (3× the session timeout) keeps the member in the group: heartbeats go on', async () => {
    const topic = await createTopic(2);
    const groupId = uniqueName('group-slow-setup');
    await produce(topic, range(2), ['a']);
    const sessionTimeoutMs = 2000;
    const recorder = new Recorder({
      commitBatches: true,
      // The stimulus under test: a recovery that takes three session timeouts.
      onAssigned: (session) => new Promise((resolve) => {
        const timer = setTimeout(resolve, 3 * sessionTimeoutMs);
        session.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      }),
    });
    const member = start(consumerGroup(groupId, [topic], { sessionTimeoutMs, heartbeatIntervalMs: 200 }), recorder);
    await recorder.until('offset 0 of both partitions', () => (hasAll(recorder.received(), range(2), [0]) ? true : undefined), 30_000);
    expect(recorder.events.map((e) => e.kind).slice(0, 2)).toEqual(['assigned', 'assigned-done']);
    const [assigned, done] = [recorder.ofKind('assigned')[0], recorder.ofKind('assigned-done')[0]];
    expect(done?.generation).toBe(assigned?.generation);
    expect(recorder.ofKind('revoked')).toEqual([]);
    const group = await describeGroup(groupId);
    expect(group.state).toBe('Stable');
    expect(group.members.map((m) => m.memberId)).toEqual([assigned?.memberId]);
    await member.stop();
  });

  it('a long `revoked` (2.5× the session timeout) keeps the member in the group: heartbeats go on, its commits count', async () => {
    const topic = await createTopic(2);
    const groupId = uniqueName('group-slow-revoke');
    await produce(topic, range(2), ['a']);
    const sessionTimeoutMs = 2000;
    let slowRevokes = 0;
    const first = new Recorder({
      commitInRevoked: true,
      // The stimulus under test: the first revoke takes longer than the session timeout.
      onRevoked: async () => {
        slowRevokes += 1;
        if (slowRevokes === 1) await new Promise((resolve) => setTimeout(resolve, 2.5 * sessionTimeoutMs));
      },
    });
    const options = { sessionTimeoutMs, heartbeatIntervalMs: 200 };
    const a = start(consumerGroup(groupId, [topic], options), first);
    await first.until('offset 0 of both partitions', () => (hasAll(first.received(), range(2), [0]) ? true : undefined));
    const second = new Recorder({ commitBatches: true });
    const b = start(consumerGroup(groupId, [topic], options), second);
    const [again] = await Promise.all([
      first.until('a second generation', () => first.ofKind('assigned')[1]),
      second.until('joined', () => second.ofKind('assigned')[0]),
    ]);
    // Same member id: it was not removed from the group while it revoked; its commit was accepted.
    expect(again.memberId).toBe(first.ofKind('assigned')[0]?.memberId);
    expect(first.commitsRefused).toBe(0);
    expect(await committed(groupId, topic)).toEqual(new Map(range(2).map((p) => [p, 1])));
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a member whose handler throws leaves the group and its run rejects with that error; the other takes over and reads the uncommitted records again', async () => {
    const topic = await createTopic(4);
    const groupId = uniqueName('group-failing');
    await produce(topic, range(4), ['a']);
    const poison = new Error('poisoned record');
    const sessionTimeoutMs = 10_000;
    const first = new Recorder({
      commitBatches: true,
      commitInRevoked: true,
      onBatch: (messages) => {
        if (messages.some((m) => m.value?.toString() === 'poison')) throw poison;
      },
    });
    const a = start(consumerGroup(groupId, [topic], { sessionTimeoutMs }), first);
    await first.until('offset 0 of every partition', () => (hasAll(first.received(), range(4), [0]) ? true : undefined));
    const second = new Recorder({ commitBatches: true });
    const b = start(consumerGroup(groupId, [topic], { sessionTimeoutMs }), second);
    const [assignedA, assignedB] = await Promise.all([
      first.until('a second generation', () => first.ofKind('assigned')[1]),
      second.until('joined', () => second.ofKind('assigned')[0]),
    ]);
    expect(assignedA.generation).toBe(assignedB.generation);
    const target = assignedA.assignment[0] ?? -1;

    await produce(topic, [target], ['poison', 'after']);
    await expect(a.run).rejects.toBe(poison);
    const failedAt = Date.now();
    // It ended its generation (revoked) before it left.
    expect(first.events.at(-1)?.kind).toBe('revoked-done');

    const takeover = await second.until('the first member partitions', () =>
      second.ofKind('assigned').find((e) => e.generation > assignedB.generation && e.assignment.length === 4),
    );
    // LeaveGroup made the coordinator rebalance at once, not after the session timeout.
    expect(Date.now() - failedAt).toBeLessThan(sessionTimeoutMs);
    expect(takeover.assignment).toEqual(range(4));
    await second.until('the poisoned record and the next', () =>
      hasAll(second.received(), [target], [1, 2]) ? true : undefined,
    );
    const redelivered = second.ofKind('batch').filter((e) => e.partition === target && e.generation === takeover.generation);
    expect(redelivered.flatMap((e) => e.values)).toEqual(['poison', 'after']);
    // Offset 0 of every partition was committed by the first member (after its batch): never read again.
    for (const p of range(4)) expect(second.received().get(p) ?? []).not.toContain(0);
    const group = await describeGroup(groupId);
    expect(group.members.map((m) => m.memberId)).toEqual([takeover.memberId]);
    await b.stop();
  });

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

/** Waits until Kafka reports the expected committed offsets (a commit may still be in flight). */
async function waitCommitted(read: () => Promise<Map<number, number>>, expected: Map<number, number>): Promise<void> {
  await eventually(async () => expect(await read()).toEqual(expected));
}

function rootCause(error: unknown): unknown {
  let current = error;
  while (typeof current === 'object' && current !== null && (current as { cause?: unknown }).cause !== undefined) {
    current = (current as { cause?: unknown }).cause;
  }
  return current;
}
