import { describe, expect, it } from 'vitest';
import { copartitionAssignor } from '../assignor/copartition-assignor.js';
import type { GroupHandler } from '../consumer-group.js';
import { MemoryKafka } from './memory-kafka.js';

const record = (topic: string, value: string) => ({ topic, partition: 0, key: Buffer.from(value), value: Buffer.from(value) });

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('MemoryKafka idleness (testing hook)', () => {
  it('is idle with no consumers, and while a reader waits at the high-water mark', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('t');
    expect(kafka.isIdle()).toBe(true);
    kafka.produce([record('t', 'a')]);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const batch of kafka.createReader().read('t', 0, 0, controller.signal)) {
        seen.push(...batch.messages.map((m) => m.value?.toString() ?? ''));
      }
    })();
    await kafka.idle();
    expect(seen).toEqual(['a']);
    kafka.produce([record('t', 'b')]);
    expect(kafka.isIdle()).toBe(false);
    await kafka.idle();
    expect(seen).toEqual(['a', 'b']);
    controller.abort();
    await reading;
    expect(kafka.activity.size).toBe(0);
  });

  it('is busy while a group handler works on a batch, and during rebalances and setup', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('in');
    const first = gate();
    const setup = gate();
    const handled: string[] = [];
    const handler: GroupHandler = {
      assigned: () => setup.wait,
      revoked: async () => {},
      batch: async (_session, _topic, _partition, messages) => {
        if (handled.length === 0) await first.wait;
        handled.push(...messages.map((m) => m.value?.toString() ?? ''));
      },
    };
    const stop = new AbortController();
    const running = kafka
      .createConsumerGroup({ groupId: 'g', topics: ['in'], assignor: copartitionAssignor(), initialOffset: 'oldest' })
      .run(handler, stop.signal);
    kafka.produce([record('in', 'a')]);
    let idle = false;
    const idleNow = kafka.idle().then(() => (idle = true));
    await kafka.group('g').settled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false); // setup still running
    setup.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false); // the handler waits on its gate
    first.open();
    await idleNow;
    expect(handled).toEqual(['a']);
    stop.abort();
    await running;
    expect(kafka.isIdle()).toBe(true);
  });
});
