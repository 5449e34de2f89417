import { codecs, DEAD_LETTER_HEADERS, deadLetter, MemoryKafka } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { Injectable } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { appended } from './test-support/signals.util.js';

/** Counts orders per key; `poison` throws. Payments go to a dead-letter topic of their own on failure. */
@Processor('orders')
@Persist(codecs.int64)
@Injectable()
class OrdersProcessor {
  @Input('orders', codecs.string)
  count(order: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
    if (order === 'poison') throw new Error('bad order');
  }

  @Input('payments', codecs.int64, { onError: deadLetter({ topic: 'payments-dlq' }) })
  pay(amount: number, ctx: ProcessContext<number>): void {
    if (amount < 0) throw new RangeError(`negative payment ${amount}`);
    ctx.setValue((ctx.value() ?? 0) + amount);
  }
}

describe('error policies in the Nest module', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("the module default (processorDefaults.onError) applies to every input; @Input's own onError wins", async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('orders', { partitions: 2 });
    kafka.createTopic('payments', { partitions: 2 });
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ kafka, logger: false, processorDefaults: { initialOffset: 'oldest', onError: 'skip' } })],
      providers: [OrdersProcessor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const table = appended(kafka, 'orders-table', 2);
    const letters = appended(kafka, 'payments-dlq', 1);
    kafka.produce([
      { topic: 'orders', partition: 0, key: Buffer.from('k'), value: Buffer.from('poison') },
      { topic: 'orders', partition: 0, key: Buffer.from('k'), value: Buffer.from('fine') },
      { topic: 'payments', partition: 0, key: Buffer.from('k'), value: codecs.int64.encode(-5) },
      { topic: 'payments', partition: 0, key: Buffer.from('k'), value: codecs.int64.encode(7) },
    ]);
    const writes = await table;
    expect(writes.map((record) => codecs.int64.decode(record.value ?? Buffer.alloc(0)))).toEqual([1, 8]);
    const [letter] = await letters;
    expect(letter?.headers[DEAD_LETTER_HEADERS.errorClass]?.toString()).toBe('RangeError');
    expect(letter?.headers[DEAD_LETTER_HEADERS.topic]?.toString()).toBe('payments');
    const stats = await app.get(GokaRegistry).getProcessor('orders').stats();
    expect(stats.errorPolicy).toMatchObject({ skipped: 1, deadLettered: 1 });
  });
});
