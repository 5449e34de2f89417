import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { consumerGroupFixture, waitCommitted } from '../support/consumer-group-fixture.js';
import { hasAll, range, Recorder } from '../support/group-recorder.js';
import { uniqueName } from '../support/kafka.js';

describe('KafkajsConsumerGroup on a real broker', () => {
  const { createTopic, produce, committed, describeGroup, consumerGroup, start } = consumerGroupFixture();

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
});
