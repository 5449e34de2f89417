// The example of the README section "Testing your processors" (keep the two in sync).
import { codecs, defineGroup, input, persist, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { createTester } from '@goka/tester';
import { expect, it } from 'vitest';

const counter = defineGroup<ProcessContext<number>>(
  'counter',
  input('clicks', codecs.string, (ctx) => ctx.setValue((ctx.value() ?? 0) + 1)),
  persist(codecs.int64),
);

it('counts clicks per user, across a rebalance and a crash', async () => {
  const tester = createTester({ partitions: 4 });
  const first = await tester.processor(counter);
  await tester.consume('clicks', 'alice', 'click');
  await tester.consume('clicks', 'alice', 'click');
  expect(tester.tableValue(tableName('counter'), 'alice')).toBe(2);

  const second = await tester.processor(counter); // a second instance: partitions move
  expect(tester.assignments('counter')).toEqual(new Map([['counter#1', [0, 1]], ['counter#2', [2, 3]]]));
  await second.crash(); // killed without revoke: the first takes its partitions back
  expect(first.partitions()).toEqual([0, 1, 2, 3]);
  await tester.consume('clicks', 'alice', 'click');
  expect(await first.get('alice')).toBe(3);
});

it('is the example the README shows under "Testing your processors"', async () => {
  const { readmeExample, specExample } = await import('@goka/scripts');
  expect(await readmeExample('## Testing your processors')).toBe(await specExample(import.meta.url, "it('is the example the README shows"));
});
