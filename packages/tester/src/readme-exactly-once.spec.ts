// The example of the README section "Exactly-once" (keep the two in sync).
import { codecs, defineGroup, input, output, persist, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { createTester } from '@goka/tester';
import { expect, it } from 'vitest';

const counter = defineGroup<ProcessContext<number>>(
  'counter',
  input('clicks', codecs.string, (ctx) => {
    const count = (ctx.value() ?? 0) + 1;
    ctx.setValue(count);
    ctx.emit('counts', ctx.key, count);
  }),
  output('counts', codecs.int64),
  persist(codecs.int64),
);

it('writes the count, the output and the input offset in one transaction', async () => {
  const tester = createTester({ partitions: 2 });
  const counts = tester.tracker('counts', codecs.int64);
  const first = await tester.processor(counter, { guarantee: 'exactly-once' });
  await tester.consume('clicks', 'alice', 'click');
  await tester.consume('clicks', 'alice', 'click');
  expect(tester.tableValue(tableName('counter'), 'alice')).toBe(2);
  expect(counts.drain().map((message) => message.value)).toEqual([1, 2]);

  const second = await tester.processor(counter, { guarantee: 'exactly-once' });
  await second.crash(); // its open transaction is aborted; the first instance takes over
  await tester.consume('clicks', 'alice', 'click');
  expect(await first.get('alice')).toBe(3);
  const { guarantee, transactions } = await first.processor.stats();
  expect(guarantee).toBe('exactly-once');
  expect(transactions?.committed).toBeGreaterThan(0);
});

it('is the example the README shows under "Exactly-once"', async () => {
  const { readmeExample, specExample } = await import('@goka/scripts');
  expect(await readmeExample('## Exactly-once')).toBe(await specExample(import.meta.url, "it('is the example the README shows"));
});
