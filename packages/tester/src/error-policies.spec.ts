import { codecs, DEAD_LETTER_HEADERS, deadLetter, defaultDeadLetterTopic, defineGroup, input, persist, retry, tableName } from '@goka/core';
import type { ErrorPolicy, ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';

type Ctx = ProcessContext<number>;

/** Counts per key; the value `poison` throws after writing (nothing of it may be applied). */
const counter = (group: string, onError?: ErrorPolicy) =>
  defineGroup<Ctx>(
    group,
    input(
      'clicks',
      codecs.string,
      (ctx: Ctx, message: string) => {
        ctx.setValue((ctx.value() ?? 0) + 1);
        if (message === 'poison') throw new Error('cannot count poison');
      },
      onError === undefined ? {} : { onError },
    ),
    persist(codecs.int64),
  );

/**
 * The tester runs every error policy as a processor does (issue 14): a test consumes a poison record
 * and asserts what was skipped, retried and dead-lettered — the dead-letter topic is read with a
 * tracker like any other.
 */
describe('error policies in the tester', () => {
  it("'skip': the consume resolves, later records are counted, stats count the skip", async () => {
    const tester = createTester({ partitions: 2 });
    const processor = await tester.processor(counter('skipping'), { onError: 'skip' });
    await tester.consume('clicks', 'k', 'poison');
    await tester.consume('clicks', 'k', 'fine');
    expect(tester.tableValue(tableName('skipping'), 'k')).toBe(1);
    expect((await processor.processor.stats()).errorPolicy.skipped).toBe(1);
    expect(processor.outcome).toBe('running');
    await tester.stop();
  });

  it('deadLetter(): a tracker on the dead-letter topic sees the original bytes and the goka-dlq-* headers', async () => {
    const tester = createTester({ partitions: 2 });
    const dlq = tester.tracker(defaultDeadLetterTopic('lettering'), codecs.string);
    await tester.processor(counter('lettering', deadLetter()));
    await tester.consume('clicks', 'k', 'poison', { headers: { origin: 'test' } });
    const letter = dlq.next();
    expect(letter).toMatchObject({ key: 'k', value: 'poison', partition: tester.partitionOf('k') });
    expect(letter?.headers['origin']?.toString()).toBe('test');
    expect(letter?.headers[DEAD_LETTER_HEADERS.topic]?.toString()).toBe('clicks');
    expect(letter?.headers[DEAD_LETTER_HEADERS.errorMessage]?.toString()).toBe('cannot count poison');
    expect(dlq.next()).toBeUndefined();
    expect(tester.tableValue(tableName('lettering'), 'k')).toBeUndefined();
    await tester.stop();
  });

  it('retry(): the callback runs again until it succeeds; a function policy decides per record', async () => {
    const tester = createTester();
    let failures = 2;
    const flaky = defineGroup<Ctx>(
      'flaky',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue((ctx.value() ?? 0) + 1);
        if (failures-- > 0) throw new Error('not yet');
      }),
      persist(codecs.int64),
    );
    const processor = await tester.processor(flaky, { onError: (_error, record) => (record.key === 'k' ? retry({ attempts: 5, backoffMs: 1 }) : 'fail') });
    await tester.consume('clicks', 'k', 'a');
    expect(tester.tableValue(tableName('flaky'), 'k')).toBe(1);
    expect((await processor.processor.stats()).errorPolicy.retried).toBe(2);
    await tester.stop();
  });

  it("'fail' stays the default: the consume that caused it rejects", async () => {
    const tester = createTester();
    await tester.processor(counter('failing'));
    await expect(tester.consume('clicks', 'k', 'poison')).rejects.toThrow(/cannot count poison/);
    await tester.stop();
  });
});
