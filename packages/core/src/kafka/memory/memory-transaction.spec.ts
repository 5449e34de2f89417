import { describe, expect, it } from 'vitest';
import { CommitFailedError } from '../../errors/group-error.js';
import { ProducerFencedError } from '../../errors/kafka-error.js';
import { copartitionAssignor } from '../assignor/copartition-assignor.js';
import type { GroupSession } from '../consumer-group.js';
import type { KafkaMessage } from '../message.js';
import { MemoryKafka } from './memory-kafka.js';

const record = (topic: string, partition: number, value: string) => ({ topic, partition, key: Buffer.from(value), value: Buffer.from(value) });
const values = (messages: readonly KafkaMessage[]): string[] => messages.map((m) => m.value?.toString() ?? '<null>');

async function readAll(kafka: MemoryKafka, topic: string, isolationLevel: 'read_committed' | 'read_uncommitted') {
  const reader = kafka.createReader({ isolationLevel });
  const controller = new AbortController();
  const seen: string[] = [];
  let end = { nextOffset: -1, highWatermark: -1 };
  for await (const batch of reader.read(topic, 0, 0, controller.signal)) {
    seen.push(...values(batch.messages));
    end = { nextOffset: batch.nextOffset, highWatermark: batch.highWatermark };
    if (batch.messages.length === 0) controller.abort();
  }
  return { seen, ...end };
}

describe('MemoryKafka transactions', () => {
  it('shows a transaction to read_committed readers only once it committed, at the last stable offset until then', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    kafka.produce([record('t', 0, 'plain')]);
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await producer.connect();
    const tx = producer.begin();
    expect(await tx.send([record('t', 0, 'a'), record('t', 0, 'b')])).toEqual([
      { topic: 't', partition: 0, offset: 1 },
      { topic: 't', partition: 0, offset: 2 },
    ]);
    kafka.produce([record('t', 0, 'after')]);

    expect(await readAll(kafka, 't', 'read_committed')).toEqual({ seen: ['plain'], nextOffset: 1, highWatermark: 1 });
    expect(await readAll(kafka, 't', 'read_uncommitted')).toMatchObject({ seen: ['plain', 'a', 'b', 'after'], highWatermark: 4 });
    expect(kafka.offsets('t', 0, 'read_committed')).toEqual({ oldest: 0, hwm: 1 });

    await tx.commit();
    // The commit marker takes offset 4; readers step over it.
    expect(await readAll(kafka, 't', 'read_committed')).toEqual({ seen: ['plain', 'a', 'b', 'after'], nextOffset: 5, highWatermark: 5 });
    expect(values(kafka.read('t', 0))).toEqual(['plain', 'a', 'b', 'after']);
  });

  it('hides an aborted transaction from read_committed readers; read_uncommitted ones still see it', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await producer.connect();
    const aborted = producer.begin();
    await aborted.send([record('t', 0, 'lost')]);
    await aborted.abort();
    const committed = producer.begin();
    await committed.send([record('t', 0, 'kept')]);
    await committed.commit();

    expect(await readAll(kafka, 't', 'read_committed')).toEqual({ seen: ['kept'], nextOffset: 4, highWatermark: 4 });
    expect((await readAll(kafka, 't', 'read_uncommitted')).seen).toEqual(['lost', 'kept']);
  });

  it('wakes a read_committed reader waiting at the last stable offset when the transaction commits', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await producer.connect();
    const tx = producer.begin();
    await tx.send([record('t', 0, 'x')]);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const batch of kafka.createReader({ isolationLevel: 'read_committed' }).read('t', 0, 0, controller.signal)) {
        seen.push(...values(batch.messages));
        if (seen.length > 0) controller.abort();
      }
    })();
    await kafka.idle();
    expect(seen).toEqual([]);
    await tx.commit();
    await reading;
    expect(seen).toEqual(['x']);
  });

  it('stores offsets added to a transaction only when it commits, and refuses those of an ended generation', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    kafka.createTopic('out');
    const sessions: GroupSession[] = [];
    const controller = new AbortController();
    const member = kafka.createConsumerGroup({ groupId: 'g', topics: ['in'], assignor: copartitionAssignor() });
    const running = member.run(
      {
        assigned: async (session) => void sessions.push(session),
        batch: async () => undefined,
        revoked: async () => undefined,
      },
      controller.signal,
    );
    await kafka.group('g').settled();
    const session = sessions[0] as GroupSession;
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await producer.connect();
    const generation = { groupId: 'g', generation: session.generation, memberId: session.memberId };

    const aborted = producer.begin();
    await aborted.sendOffsets(generation, [{ topic: 'in', partition: 0, offset: 7 }]);
    await aborted.abort();
    expect(kafka.group('g').offsets().get('in')).toBeUndefined();

    const tx = producer.begin();
    await tx.send([record('out', 0, 'o')]);
    await tx.sendOffsets(generation, [{ topic: 'in', partition: 0, offset: 3 }]);
    await tx.commit();
    expect(kafka.group('g').offsets().get('in')?.get(0)).toBe(3);

    const stale = producer.begin();
    await expect(stale.sendOffsets({ ...generation, generation: generation.generation + 1 }, [])).rejects.toBeInstanceOf(CommitFailedError);
    await expect(stale.commit()).rejects.toThrow(/cannot commit/);
    await stale.abort();
    controller.abort();
    await running;
  });

  it('fences the older producer of a transactional id: its open transaction is aborted and it cannot write again', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const zombie = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await zombie.connect();
    const open = zombie.begin();
    await open.send([record('t', 0, 'zombie')]);

    const successor = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await successor.connect();
    await expect(open.commit()).rejects.toThrow(/cannot commit a transaction of "tx" that was aborted/);
    expect(() => zombie.begin()).toThrow(ProducerFencedError);
    const tx = successor.begin();
    await tx.send([record('t', 0, 'successor')]);
    await tx.commit();
    expect((await readAll(kafka, 't', 'read_committed')).seen).toEqual(['successor']);
  });

  it('aborts the open transaction of a crashed instance (its client id fenced)', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx-1', clientId: 'instance-1' });
    await producer.connect();
    const open = producer.begin();
    await open.send([record('t', 0, 'in flight')]);
    kafka.fenceClient('instance-1');
    expect(kafka.offsets('t', 0, 'read_committed').hwm).toBe(2);
    await expect(open.send([record('t', 0, 'more')])).rejects.toThrow(/cannot send a transaction of "tx-1" that was aborted/);
    expect(() => producer.begin()).toThrow(ProducerFencedError);
    expect((await readAll(kafka, 't', 'read_committed')).seen).toEqual([]);
  });

  it('delivers only committed records to a read_committed consumer group', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    const producer = kafka.createTransactionalProducer({ transactionalId: 'tx' });
    await producer.connect();
    const aborted = producer.begin();
    await aborted.send([record('t', 0, 'lost')]);
    await aborted.abort();
    const open = producer.begin();
    await open.send([record('t', 0, 'late')]);
    const received: string[] = [];
    const controller = new AbortController();
    const member = kafka.createConsumerGroup({
      groupId: 'g',
      topics: ['t'],
      assignor: copartitionAssignor(),
      initialOffset: 'oldest',
      isolationLevel: 'read_committed',
    });
    const running = member.run(
      {
        assigned: async () => undefined,
        batch: async (_session, _topic, _partition, messages) => void received.push(...values(messages)),
        revoked: async () => undefined,
      },
      controller.signal,
    );
    await kafka.idle();
    expect(received).toEqual([]);
    await open.commit();
    await kafka.idle();
    expect(received).toEqual(['late']);
    controller.abort();
    await running;
  });
});
