import { codecs, DEAD_LETTER_HEADERS, deadLetter, defineGroup, input, persist, Processor, ProcessingError, retry } from '@goka/core';
import type { ErrorPolicy, KafkaMessage, ProcessContext } from '@goka/core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, committedOffsets, createTopics, emitAll, FAST, highWatermarks, readTopic, start, startReady, stopClean } from './processor-harness.js';
import { CounterProcesses } from './worker-process.js';

type Ctx = ProcessContext<number>;

const header = (record: KafkaMessage, name: string): string | undefined => record.headers[name]?.toString('utf8');

/** Every committed offset of `group` on `topic` equals the topic's high-water mark. */
async function committedToEnd(brokers: readonly string[], group: string, topic: string): Promise<void> {
  await eventually(
    async () => {
      const [committed, marks] = await Promise.all([committedOffsets(brokers, group, topic), highWatermarks(brokers, topic)]);
      for (const [partition, hwm] of marks) expect(committed.get(partition) ?? 0, `${topic}/${partition}`).toBe(hwm);
    },
    { timeoutMs: 60_000 },
  );
}

/**
 * Poison records on the real broker under each error policy (issue 14): a callback that throws for the
 * value `poison`, with the group table counting the other values per key.
 */
describe('error policies on a real broker', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  const processes: CounterProcesses[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  }, 60_000);

  const counting = (group: string, topic: string, onError?: ErrorPolicy) =>
    defineGroup<Ctx>(
      group,
      input(
        topic,
        codecs.string,
        (ctx: Ctx, message: string) => {
          ctx.setValue((ctx.value() ?? 0) + 1);
          if (message === 'poison') throw new Error(`poison at offset ${ctx.offset}`);
        },
        onError === undefined ? {} : { onError },
      ),
      persist(codecs.int64),
    );

  it("'fail' stops with the ProcessingError naming the record, and a restart stops on it again", async () => {
    const group = uniqueName('policy-fail');
    const topic = uniqueName('policy-fail-in');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    await emitAll(kafka, topic, codecs.string, [
      ['k', 'one'],
      ['k', 'poison'],
      ['k', 'two'],
    ]);
    for (let round = 0; round < 2; round++) {
      const processor = new Processor(counting(group, topic), { ...FAST, kafka });
      const running = start(processor);
      await running.outcome.done;
      expect(running.outcome.settled).toBe('rejected');
      expect(running.outcome.error).toBeInstanceOf(ProcessingError);
      expect(running.outcome.error).toMatchObject({ group, topic, partition: 0, offset: 1, key: 'k' });
      expect((await committedOffsets(brokers, group, topic)).get(0)).toBe(1);
    }
  });

  it("'skip' processes every later record and commits past the poison", async () => {
    const group = uniqueName('policy-skip');
    const topic = uniqueName('policy-skip-in');
    await createTopics(brokers, [{ topic, partitions: 2 }]);
    const processor = new Processor(counting(group, topic), { ...FAST, kafka, onError: 'skip' });
    const running = await startReady(processor);
    await emitAll(kafka, topic, codecs.string, [
      ['a', 'one'],
      ['a', 'poison'],
      ['a', 'two'],
      ['b', 'poison'],
      ['b', 'one'],
    ]);
    await committedToEnd(brokers, group, topic);
    expect(await processor.get('a')).toBe(2);
    expect(await processor.get('b')).toBe(1);
    expect((await processor.stats()).errorPolicy.skipped).toBe(2);
    await stopClean(processor, running);
  });

  it('retry() with a deadLetter() fallback runs the callback `attempts` times, then dead-letters with the count', async () => {
    const group = uniqueName('policy-retry');
    const topic = uniqueName('policy-retry-in');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const onError = retry({ attempts: 3, backoffMs: 20, fallback: deadLetter({ topic: `${group}-errors` }) });
    const processor = new Processor(counting(group, topic, onError), { ...FAST, kafka });
    const running = await startReady(processor);
    await emitAll(kafka, topic, codecs.string, [
      ['k', 'poison'],
      ['k', 'after'],
    ]);
    await committedToEnd(brokers, group, topic);
    const [letter, ...more] = await readTopic(brokers, `${group}-errors`);
    expect(more).toEqual([]);
    expect(header(letter as KafkaMessage, DEAD_LETTER_HEADERS.attempts)).toBe('3');
    expect((await processor.stats()).errorPolicy).toMatchObject({ retried: 2, deadLettered: 1 });
    expect(await processor.get('k')).toBe(1);
    await stopClean(processor, running);
  });

  it('deadLetter(): one record per poison record, across two processes and partitions moving between them, and after a restart', async () => {
    const group = uniqueName('policy-dlq');
    const topic = uniqueName('policy-dlq-in');
    const dlq = `${group}-dlq`;
    await createTopics(brokers, [{ topic, partitions: 4 }]);
    const workers = new CounterProcesses({ brokers, group, input: topic });
    processes.push(workers);
    const env = { GOKA_ON_ERROR: 'dead-letter' };
    // 200 records over 10 keys; every 25th is poison (8 in all), half before and half after B joins.
    const records = Array.from({ length: 200 }, (_, index) => [`key-${index % 10}`, index % 25 === 7 ? 'poison' : `v${index}`] as const);
    const expected = new Map<string, number>();
    for (const [key, value] of records) if (value !== 'poison') expected.set(key, (expected.get(key) ?? 0) + 1);

    const a = await workers.start('dlq-a', undefined, env);
    await a.until((events) => events.some((e) => e.event === 'ready'), 'ready');
    await emitAll(kafka, topic, codecs.string, records.slice(0, 100));
    await committedToEnd(brokers, group, topic);

    const joined = Date.now();
    const b = await workers.start('dlq-b', undefined, env);
    await b.until((events) => events.some((e) => e.event === 'ready'), 'ready');
    await a.until((events) => events.some((e) => e.event === 'ready' && e.at >= joined), 'ready after the rebalance');
    await emitAll(kafka, topic, codecs.string, records.slice(100));
    await committedToEnd(brokers, group, topic);

    // A leaves: its partitions move to B, which starts from A's commits.
    const left = Date.now();
    a.child.kill('SIGTERM');
    await a.exited();
    await b.until((events) => events.some((e) => e.event === 'assigned' && e.at >= left && e.partitions?.length === 4), 'all four partitions');
    await b.until((events) => events.some((e) => e.event === 'ready' && e.at >= left), 'ready with all partitions');
    // B restarts: a new process reads everything again from the commits.
    const restarted = Date.now();
    b.child.kill('SIGTERM');
    await b.exited();
    const c = await workers.start('dlq-c', undefined, env);
    await c.until((events) => events.some((e) => e.event === 'ready' && e.at >= restarted), 'ready');
    await committedToEnd(brokers, group, topic);

    const letters = await readTopic(brokers, dlq);
    const poisons = (await readTopic(brokers, topic)).filter((record) => record.value?.toString() === 'poison');
    expect(poisons).toHaveLength(8);
    const where = (record: KafkaMessage): string => `${header(record, DEAD_LETTER_HEADERS.partition)}@${header(record, DEAD_LETTER_HEADERS.offset)}`;
    expect(letters.map(where).sort()).toEqual(poisons.map((record) => `${record.partition}@${record.offset}`).sort());
    for (const letter of letters) {
      const original = poisons.find((record) => `${record.partition}@${record.offset}` === where(letter)) as KafkaMessage;
      expect(letter.key?.equals(original.key ?? Buffer.alloc(0))).toBe(true);
      expect(letter.value?.toString()).toBe('poison');
      expect(header(letter, DEAD_LETTER_HEADERS.topic)).toBe(topic);
      expect(header(letter, DEAD_LETTER_HEADERS.group)).toBe(group);
      expect(header(letter, DEAD_LETTER_HEADERS.timestamp)).toBe(String(original.timestamp));
      expect(header(letter, DEAD_LETTER_HEADERS.errorClass)).toBe('Error');
      expect(header(letter, DEAD_LETTER_HEADERS.errorMessage)).toBe(`poison at offset ${original.offset}`);
    }
    // The group table holds the count of every key without the poison records.
    const counts = new Map<string, number>();
    for (const record of await readTopic(brokers, `${group}-table`)) {
      counts.set(record.key?.toString() ?? '', codecs.int64.decode(record.value ?? Buffer.alloc(0)));
    }
    expect(counts).toEqual(expected);
  });
});
