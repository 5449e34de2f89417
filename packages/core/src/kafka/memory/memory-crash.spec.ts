import { describe, expect, it } from 'vitest';
import { CommitFailedError } from '../../errors/group-error.js';
import { ProduceFailedError } from '../../errors/kafka-error.js';
import { copartitionAssignor } from '../assignor/copartition-assignor.js';
import type { GroupHandler, GroupSession } from '../consumer-group.js';
import { MemberCrashedError } from './member-crashed-error.js';
import { MemoryKafka } from './memory-kafka.js';

const options = (clientId: string) => ({
  groupId: 'g',
  clientId,
  topics: ['in'],
  assignor: copartitionAssignor(),
  initialOffset: 'oldest' as const,
});

/** A member that records what it handles, commits only when told, and can block a value. */
function member(name: string, log: string[], block?: { value: string; until: Promise<void> }) {
  const sessions: GroupSession[] = [];
  const handler: GroupHandler = {
    assigned: async (session) => {
      sessions.push(session);
      log.push(`${name} assigned ${JSON.stringify(session.assignment.get('in'))}`);
    },
    revoked: async () => {
      log.push(`${name} revoked`);
    },
    batch: async (_session, _topic, partition, messages) => {
      for (const message of messages) {
        const value = message.value?.toString() ?? '';
        log.push(`${name} got ${value}@${partition}`);
        if (value === block?.value) await block.until;
      }
    },
  };
  return { handler, sessions };
}

describe('MemoryGroupCoordinator.crash (testing hook)', () => {
  it('ends a member without revoke and redelivers what it did not commit to the survivor', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    const log: string[] = [];
    const never = new Promise<void>(() => {});
    const a = member('a', log, { value: 'stuck', until: never });
    const b = member('b', log);
    const runA = kafka.createConsumerGroup(options('a')).run(a.handler, new AbortController().signal);
    const stopB = new AbortController();
    const runB = kafka.createConsumerGroup(options('b')).run(b.handler, stopB.signal);
    await kafka.group('g').settled();
    expect(kafka.group('g').memberIds()).toEqual(['a-000001', 'b-000002']);
    expect(kafka.group('g').memberIds('b')).toEqual(['b-000002']);
    kafka.produce([
      { topic: 'in', partition: 0, key: Buffer.from('k'), value: Buffer.from('done') },
      { topic: 'in', partition: 0, key: Buffer.from('k'), value: Buffer.from('stuck') },
    ]);
    await a.sessions[a.sessions.length - 1]?.commit([{ topic: 'in', partition: 0, offset: 1 }]);
    while (!log.includes('a got stuck@0')) await new Promise((resolve) => setImmediate(resolve));
    expect(kafka.isIdle()).toBe(false);

    const producer = kafka.createProducer({ clientId: 'a' });
    const beforeCrash = log.length;
    await kafka.group('g').crash('a-000001');
    await expect(runA).rejects.toBeInstanceOf(MemberCrashedError);
    await expect(a.sessions[a.sessions.length - 1]?.commit([{ topic: 'in', partition: 0, offset: 2 }])).rejects.toBeInstanceOf(
      CommitFailedError,
    );
    await expect(producer.send([{ topic: 'in', partition: 0, key: Buffer.from('k'), value: null }])).rejects.toBeInstanceOf(
      ProduceFailedError,
    );
    await kafka.createProducer({ clientId: 'a' }).send([{ topic: 'in', partition: 1, key: Buffer.from('x'), value: Buffer.from('new') }]);
    await kafka.idle();
    expect(log.slice(beforeCrash).filter((line) => line.startsWith('a '))).toEqual([]);
    expect(log).toContain('b got stuck@0');
    expect(log).not.toContain('b got done@0');
    expect(log).toContain('b got new@1');
    expect([...kafka.group('g').assignments().keys()]).toEqual(['b-000002']);
    await expect(kafka.group('g').crash('a-000001')).rejects.toThrow(/no member "a-000001"/);
    stopB.abort();
    await runB;
  });

  it('resolves whenCommitted once every delivered record is committed', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const sessions: GroupSession[] = [];
    const handler: GroupHandler = {
      assigned: async (session) => {
        sessions.push(session);
      },
      revoked: async () => {},
      batch: async () => {},
    };
    const stop = new AbortController();
    const running = kafka.createConsumerGroup(options('m')).run(handler, stop.signal);
    kafka.produce([{ topic: 'in', partition: 0, key: Buffer.from('k'), value: Buffer.from('v') }]);
    await kafka.idle();
    let committed = false;
    const waiting = kafka.group('g').whenCommitted().then(() => (committed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed).toBe(false);
    await sessions[0]?.commit([{ topic: 'in', partition: 0, offset: 1 }]);
    await waiting;
    stop.abort();
    await running;
  });
});
