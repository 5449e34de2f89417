// The example of the README section "When things go wrong" (keep the two in sync).
import { codecs, DEAD_LETTER_HEADERS, deadLetter, defineGroup, input, persist, retry, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { createTester } from '@goka/tester';
import { expect, it } from 'vitest';

const payments = defineGroup<ProcessContext<number>>(
  'balances',
  input(
    'payments',
    codecs.json<{ amount: number }>(),
    (ctx, payment) => {
      if (!Number.isFinite(payment.amount)) throw new TypeError(`no amount in ${JSON.stringify(payment)}`);
      ctx.setValue((ctx.value() ?? 0) + payment.amount);
    },
    // Three runs 100 ms apart, then the record goes to balances-dlq and the partition moves on.
    { onError: retry({ attempts: 3, backoffMs: 100, fallback: deadLetter() }) },
  ),
  persist(codecs.int64),
);

it('sends a payment it cannot process to the dead-letter topic and goes on', async () => {
  const tester = createTester();
  const dlq = tester.tracker('balances-dlq', codecs.string);
  await tester.processor(payments);
  await tester.consume('payments', 'alice', { amount: 5 });
  await tester.consume('payments', 'alice', { amont: 7 }); // a typo: fails three times
  await tester.consume('payments', 'alice', { amount: 2 });

  expect(tester.tableValue(tableName('balances'), 'alice')).toBe(7);
  const letter = dlq.next();
  expect(letter?.value).toBe('{"amont":7}'); // the original bytes
  expect(letter?.headers[DEAD_LETTER_HEADERS.errorClass]?.toString()).toBe('TypeError');
  expect(letter?.headers[DEAD_LETTER_HEADERS.attempts]?.toString()).toBe('3');
});

it('is the example the README shows under "When things go wrong"', async () => {
  const { readmeExample, specExample } = await import('@goka/scripts');
  expect(await readmeExample('## When things go wrong')).toBe(await specExample(import.meta.url, "it('is the example the README shows"));
});
