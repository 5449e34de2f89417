import { describe, expect, it } from 'vitest';
import { CommitFailedError, RebalanceError } from '../../errors/group-error.js';
import { copartitionAssignor } from '../assignor/copartition-assignor.js';
import type { Assignor, GroupHandler, GroupSession } from '../consumer-group.js';
import type { KafkaMessage } from '../message.js';
import { MemoryKafka } from './memory-kafka.js';

const produce = (kafka: MemoryKafka, topic: string, partition: number, ...values: string[]) =>
  kafka.produce(values.map((value) => ({ topic, partition, key: Buffer.from(value), value: Buffer.from(value) })));

/** A handler that records what happens and commits each batch; resolves `until` when `done` says so. */
function recorder(options: { failOn?: string; commit?: boolean } = {}) {
  const events: string[] = [];
  const received: KafkaMessage[] = [];
  const sessions: GroupSession[] = [];
  const waiters: Array<{ check: () => boolean; resolve: () => void }> = [];
  const poke = () => {
    const ready = waiters.filter((waiter) => waiter.check());
    for (const waiter of ready) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const handler: GroupHandler = {
    async assigned(session) {
      sessions.push(session);
      events.push(`assigned g${session.generation} ${JSON.stringify(Object.fromEntries(session.assignment))}`);
      poke();
    },
    async batch(session, topic, partition, messages) {
      for (const message of messages) {
        if (message.value?.toString() === options.failOn) throw new Error(`cannot handle ${options.failOn}`);
      }
      received.push(...messages);
      if (options.commit !== false) {
        await session.commit([{ topic, partition, offset: (messages[messages.length - 1] as KafkaMessage).offset + 1 }]);
      }
      poke();
    },
    async revoked(session) {
      events.push(`revoked g${session.generation}`);
      poke();
    },
  };
  const until = (check: () => boolean) =>
    check() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ check, resolve }));
  const values = () => received.map((m) => m.value?.toString());
  return { handler, events, received, sessions, until, values };
}

const options = (topics: string[], extra: { initialOffset?: 'oldest' | 'newest'; assignor?: Assignor } = {}) => ({
  groupId: 'g',
  topics,
  assignor: extra.assignor ?? copartitionAssignor(),
  ...(extra.initialOffset === undefined ? {} : { initialOffset: extra.initialOffset }),
});

describe('MemoryKafka consumer groups', () => {
  it('starts a new group at the newest offset (as Goka), or the oldest when asked', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    produce(kafka, 'in', 0, 'old');
    const newest = recorder();
    const stop = new AbortController();
    const running = kafka.createConsumerGroup(options(['in'])).run(newest.handler, stop.signal);
    await newest.until(() => newest.sessions.length === 1);
    produce(kafka, 'in', 0, 'new');
    await newest.until(() => newest.received.length === 1);
    expect(newest.values()).toEqual(['new']);
    stop.abort();
    await running;

    const oldest = recorder();
    const stop2 = new AbortController();
    const running2 = kafka
      .createConsumerGroup({ ...options(['in'], { initialOffset: 'oldest' }), groupId: 'other' })
      .run(oldest.handler, stop2.signal);
    await oldest.until(() => oldest.received.length === 2);
    expect(oldest.values()).toEqual(['old', 'new']);
    stop2.abort();
    await running2;
  });

  it('resumes from the committed offset after a restart', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const first = recorder();
    const stop = new AbortController();
    const running = kafka.createConsumerGroup(options(['in'], { initialOffset: 'oldest' })).run(first.handler, stop.signal);
    produce(kafka, 'in', 0, 'a', 'b');
    await first.until(() => first.received.length === 2);
    stop.abort();
    await running;
    expect(kafka.group('g').offsets().get('in')?.get(0)).toBe(2);

    produce(kafka, 'in', 0, 'c');
    const second = recorder();
    const stop2 = new AbortController();
    const running2 = kafka.createConsumerGroup(options(['in'], { initialOffset: 'oldest' })).run(second.handler, stop2.signal);
    await second.until(() => second.received.length === 1);
    expect(second.values()).toEqual(['c']);
    stop2.abort();
    await running2;
  });

  it('rebalances when a member joins and leaves: revoked before the next assignment, partitions disjoint and complete', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in', { partitions: 4 });
    kafka.createTopic('g-loop', { partitions: 4 });
    const one = recorder();
    const two = recorder();
    const stopOne = new AbortController();
    const stopTwo = new AbortController();
    const runOne = kafka.createConsumerGroup({ ...options(['in', 'g-loop']), clientId: 'a' }).run(one.handler, stopOne.signal);
    await one.until(() => one.sessions.length === 1);
    const runTwo = kafka.createConsumerGroup({ ...options(['in', 'g-loop']), clientId: 'b' }).run(two.handler, stopTwo.signal);
    await two.until(() => two.sessions.length === 1);
    await one.until(() => one.sessions.length === 2);

    expect(one.events).toEqual([
      'assigned g1 {"in":[0,1,2,3],"g-loop":[0,1,2,3]}',
      'revoked g1',
      'assigned g2 {"in":[0,1],"g-loop":[0,1]}',
    ]);
    expect(two.events).toEqual(['assigned g2 {"in":[2,3],"g-loop":[2,3]}']);

    for (let partition = 0; partition < 4; partition++) produce(kafka, 'in', partition, `p${partition}`);
    await one.until(() => one.received.length === 2);
    await two.until(() => two.received.length === 2);
    expect(one.received.map((m) => m.partition).sort()).toEqual([0, 1]);
    expect(two.received.map((m) => m.partition).sort()).toEqual([2, 3]);

    stopTwo.abort();
    await runTwo;
    await one.until(() => one.sessions.length === 3);
    expect(two.events.at(-1)).toBe('revoked g2');
    expect(one.events.at(-1)).toBe('assigned g3 {"in":[0,1,2,3],"g-loop":[0,1,2,3]}');
    produce(kafka, 'in', 3, 'after');
    await one.until(() => one.values().includes('after'));
    stopOne.abort();
    await runOne;
  });

  it('refuses commits once the generation is over', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const member = recorder();
    const stop = new AbortController();
    const running = kafka.createConsumerGroup(options(['in'])).run(member.handler, stop.signal);
    await member.until(() => member.sessions.length === 1);
    stop.abort();
    await running;
    const session = member.sessions[0] as GroupSession;
    expect(session.signal.aborted).toBe(true);
    await expect(session.commit([{ topic: 'in', partition: 0, offset: 5 }])).rejects.toThrow(CommitFailedError);
  });

  it('ends the run of a member whose handler fails, after revoking, and hands its partitions on', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    const failing = recorder({ failOn: 'poison' });
    const healthy = recorder();
    const stopHealthy = new AbortController();
    const oldest = options(['in'], { initialOffset: 'oldest' });
    const runFailing = kafka.createConsumerGroup({ ...oldest, clientId: 'a' }).run(failing.handler, new AbortController().signal);
    const runHealthy = kafka.createConsumerGroup({ ...oldest, clientId: 'b' }).run(healthy.handler, stopHealthy.signal);
    await kafka.group('g').settled();
    expect(failing.events.at(-1)).toMatch(/^assigned g\d+ \{"in":\[0\]\}$/);
    produce(kafka, 'in', 0, 'poison');
    await expect(runFailing).rejects.toThrow('cannot handle poison');
    expect(failing.events.at(-1)).toMatch(/^revoked/);
    await healthy.until(() => healthy.events.at(-1)?.endsWith('{"in":[0,1]}') === true);
    // the poison message was never committed, so the survivor gets it again
    await healthy.until(() => healthy.values().includes('poison'));
    stopHealthy.abort();
    await runHealthy;
  });

  it('delivers a partition’s next batch only after the previous one was handled', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler: GroupHandler = {
      assigned: async () => {},
      revoked: async () => {},
      batch: async (_session, _topic, _partition, messages) => {
        order.push(`start ${messages.map((m) => m.value?.toString()).join(',')}`);
        if (order.length === 1) await gate;
        order.push('end');
      },
    };
    const stop = new AbortController();
    const running = kafka.createConsumerGroup(options(['in'], { initialOffset: 'oldest' })).run(handler, stop.signal);
    produce(kafka, 'in', 0, 'a');
    await kafka.group('g').settled();
    while (order.length === 0) await new Promise((resolve) => setImmediate(resolve));
    produce(kafka, 'in', 0, 'b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start a']);
    release();
    while (order.length < 4) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start a', 'end', 'start b', 'end']);
    stop.abort();
    await running;
  });

  it('fails every member when they offer different assignors', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const other: Assignor = { ...copartitionAssignor(), name: 'range' };
    const first = kafka.createConsumerGroup(options(['in'])).run(recorder().handler, new AbortController().signal);
    const second = kafka.createConsumerGroup(options(['in'], { assignor: other })).run(recorder().handler, new AbortController().signal);
    await expect(second).rejects.toThrow(RebalanceError);
    await expect(first).rejects.toThrow(/different partition assignors: "copartition", "range"/);
  });
});
