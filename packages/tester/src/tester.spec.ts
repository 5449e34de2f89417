import {
  CodecError,
  codecs,
  defineGroup,
  input,
  join,
  lookup,
  loop,
  output,
  persist,
  tableName,
  TableDecodeError,
  TopicNotCopartitionedError,
  visitor,
} from '@goka/core';
import type { Codec, ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { TesterError } from './tester-error.js';
import { createTester } from './tester.js';

type Ctx = ProcessContext<number>;

const summer = (group = 'sum') =>
  defineGroup<Ctx>(
    group,
    input('numbers', codecs.int64, (ctx, n: number) => ctx.setValue((ctx.value() ?? 0) + n)),
    persist(codecs.int64),
  );

describe('codecs', () => {
  it('refuses a second codec type for one topic, naming both users', async () => {
    const tester = createTester();
    await tester.processor(summer());
    const other = defineGroup('strings', input('numbers', codecs.string, () => {}));
    await expect(tester.processor(other)).rejects.toThrow(
      /topic "numbers" has codec int64 \(from processor "sum"\), processor "strings" registers codec string/,
    );
    expect(() => tester.emitter('numbers', codecs.json())).toThrow(TesterError);
  });

  it('needs a registered codec or one passed in', async () => {
    const tester = createTester();
    await expect(tester.consume('nowhere', 'k', 'v')).rejects.toThrow(/cannot consume into "nowhere": no codec/);
    await tester.consume('nowhere', 'k', 'v', { codec: codecs.string });
    expect(tester.kafka.read('nowhere', 0).map((r) => r.value?.toString())).toEqual(['v']);
    expect(() => tester.tableValue('unknown-table', 'k')).toThrow(/cannot read table "unknown-table"/);
  });

  it('reports values its codec cannot encode with topic and key', async () => {
    const tester = createTester();
    await tester.processor(summer());
    const failure = await tester.consume('numbers', 'k', 1.5).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodecError);
    expect(failure).toMatchObject({ topic: 'numbers', key: 'k', operation: 'encode' });
  });
});

describe('tables', () => {
  it('sets values through Kafka: the owning processor, views and joins all see them', async () => {
    const tester = createTester({ partitions: 3 });
    const view = await tester.view(tableName('sum'), codecs.int64);
    const owners = [await tester.processor(summer()), await tester.processor(summer())];
    const joined: Array<number | undefined> = [];
    await tester.processor(
      defineGroup<Ctx>('reader', input('reads', codecs.string, (ctx) => void joined.push(ctx.join<number>(tableName('sum')))), join(tableName('sum'), codecs.int64)),
    );
    for (const key of ['a', 'b', 'c', 'd']) await tester.setTableValue(tableName('sum'), key, 100);
    for (const key of ['a', 'b', 'c', 'd']) await tester.consume('numbers', key, 1);
    expect(['a', 'b', 'c', 'd'].map((key) => tester.tableValue(tableName('sum'), key))).toEqual([101, 101, 101, 101]);
    expect(await view.get('c')).toBe(101);
    await tester.consume('reads', 'd', 'read');
    expect(joined).toEqual([101]);
    const [first, second] = owners;
    const holder = first?.partitions().includes(tester.partitionOf('a')) === true ? first : second;
    expect(await holder?.get('a')).toBe(101);

    await tester.setTableValue(tableName('sum'), 'a', null);
    expect(tester.tableValue(tableName('sum'), 'a')).toBeUndefined();
    expect(await view.get('a')).toBeUndefined();
    await tester.consume('numbers', 'a', 5);
    expect(tester.tableValue(tableName('sum'), 'a')).toBe(5);
  });

  it('lists keys in byte order and clears every table it knows', async () => {
    const tester = createTester({ partitions: 2 });
    const view = await tester.view('profiles', codecs.string);
    await tester.processor(summer());
    for (const key of ['é', 'b', 'a', 'Z']) await tester.consume('numbers', key, 1);
    await tester.setTableValue('profiles', 'p', 'x');
    expect(tester.tableKeys(tableName('sum'))).toEqual(['Z', 'a', 'b', 'é']);
    await tester.clearValues();
    expect(tester.tableKeys(tableName('sum'))).toEqual([]);
    expect(tester.tableKeys('profiles')).toEqual([]);
    expect(await view.get('p')).toBeUndefined();
    await tester.consume('numbers', 'a', 2);
    expect(tester.tableValue(tableName('sum'), 'a')).toBe(2);
  });

  it('serves lookups of tables set by the test', async () => {
    const tester = createTester({ partitions: 2 });
    const out = tester.tracker('out', codecs.string);
    await tester.processor(
      defineGroup(
        'translate',
        input('words', codecs.string, async (ctx: Ctx, word: string) => {
          ctx.emit('out', ctx.key, (await ctx.lookup<string>('dictionary', word)) ?? '?');
        }),
        lookup('dictionary', codecs.string),
        output('out', codecs.string),
      ),
    );
    await tester.setTableValue('dictionary', 'hello', 'hallo');
    await tester.consume('words', 'k', 'hello');
    await tester.consume('words', 'k', 'bye');
    expect(out.drain().map((m) => m.value)).toEqual(['hallo', '?']);
  });
});

describe('the strict form (typed context)', () => {
  it('runs a graph built with defineGroup(group, ...schema edges).loop().input()', async () => {
    const tester = createTester({ partitions: 2 });
    const alerts = tester.tracker('alerts', codecs.string);
    const graph = defineGroup('strict', persist(codecs.int64), output('alerts', codecs.string), lookup('limits', codecs.int64))
      .loop(codecs.string, (ctx, message) => ctx.emit('alerts', ctx.key, message))
      .input('clicks', codecs.string, async (ctx, click) => {
        const count = (ctx.value() ?? 0) + 1;
        ctx.setValue(count);
        if (count > ((await ctx.lookup('limits', click)) ?? Infinity)) ctx.loopback(ctx.key, `${click} over`);
      });
    const processor = await tester.processor(graph);
    await tester.setTableValue('limits', 'home', 1);
    await tester.consume('clicks', 'alice', 'home');
    await tester.consume('clicks', 'alice', 'home');
    expect(tester.tableValue(tableName('strict'), 'alice')).toBe(2);
    expect(await processor.get('alice')).toBe(2);
    expect(alerts.drain().map((m) => m.value)).toEqual(['home over']);
  });
});

describe('idleness', () => {
  it('cascades through loops across partitions and chains of processors', async () => {
    const tester = createTester({ partitions: 4 });
    await tester.processor(
      defineGroup<ProcessContext<unknown>>(
        'fanout',
        input('in', codecs.int64, (ctx, n: number) => {
          for (let i = 0; i < n; i++) ctx.loopback(`${ctx.key}-${i}`, n - 1);
        }),
        loop(codecs.int64, (ctx: ProcessContext<unknown>, n: number) => {
          for (let i = 0; i < n; i++) ctx.loopback(`${ctx.key}-${i}`, n - 1);
          ctx.emit('leaves', ctx.key, n);
        }),
        output('leaves', codecs.int64),
      ),
    );
    await tester.processor(
      defineGroup<Ctx>('count-leaves', input('leaves', codecs.int64, (ctx) => ctx.setValue((ctx.value() ?? 0) + 1)), persist(codecs.int64)),
    );
    await tester.consume('in', 'root', 4);
    // 4 + 4·3 + 4·3·2 + 4·3·2·1 loop messages, each counted once under its own key
    expect(tester.tableKeys(tableName('count-leaves'))).toHaveLength(64);
  });

  it('waits for emitters, visits and concurrent consumes', async () => {
    const tester = createTester({ partitions: 2 });
    const sum = await tester.processor(
      defineGroup<Ctx>(
        'sum',
        input('numbers', codecs.int64, (ctx, n: number) => ctx.setValue((ctx.value() ?? 0) + n)),
        persist(codecs.int64),
        visitor('reset', (ctx: Ctx, to: number) => ctx.setValue(to)),
      ),
    );
    const emitter = tester.emitter('numbers', codecs.int64);
    await emitter.emit('a', 2);
    expect(tester.tableValue(tableName('sum'), 'a')).toBe(2);
    await Promise.all([1, 2, 3].map((n) => tester.consume('numbers', 'b', n)));
    expect(tester.tableValue(tableName('sum'), 'b')).toBe(6);
    await sum.processor.visitAll('reset', 0);
    await tester.catchup();
    expect([tester.tableValue(tableName('sum'), 'a'), tester.tableValue(tableName('sum'), 'b')]).toEqual([0, 0]);
    await emitter.finish();
  });
});

describe('failures and lifecycle', () => {
  it('reports a processor failure once, to the consume that caused it', async () => {
    const tester = createTester();
    const proc = await tester.processor(
      defineGroup<Ctx>('picky', input('in', codecs.string, (_ctx, m: string) => {
        if (m === 'bad') throw new Error('I do not like bad');
      })),
    );
    await expect(tester.consume('in', 'k', 'bad')).rejects.toThrow(/I do not like bad/);
    expect(proc.outcome).toBe('failed');
    // reported once: later waits succeed (nothing processes the partition any more)
    await tester.consume('in', 'k', 'fine');
    // the failed message was not committed: the restarted instance fails on it again
    await expect(proc.restart()).rejects.toThrow(/I do not like bad/);
    expect(proc.outcome).toBe('failed');
    await expect(tester.catchup()).resolves.toBeUndefined();
  });

  it('rejects when a processor or a view cannot start', async () => {
    const tester = createTester({ partitions: 2 });
    tester.kafka.createTopic('three', { partitions: 3 });
    const graph = defineGroup('mismatch', input('numbers', codecs.int64, () => {}), input('three', codecs.int64, () => {}));
    await expect(tester.processor(graph)).rejects.toBeInstanceOf(TopicNotCopartitionedError);

    const never: Codec<string> = { name: 'never', encode: (v) => Buffer.from(v), decode: () => { throw new Error('no'); } };
    await tester.consume('broken', 'k', 'v', { codec: codecs.string });
    await expect(tester.view('broken', never)).rejects.toBeInstanceOf(TableDecodeError);
  });

  it('starts instances on request and stops everything', async () => {
    const tester = createTester();
    const sum = await tester.processor(summer(), { start: false });
    expect(sum.outcome).toBeUndefined();
    await tester.consume('numbers', 'k', 1);
    await sum.start();
    expect(tester.tableValue(tableName('sum'), 'k')).toBe(1);
    await expect(sum.start()).rejects.toThrow(/already running/);
    const view = await tester.view(tableName('sum'), codecs.int64);
    await tester.stop();
    expect([sum.outcome, view.state]).toEqual(['stopped', 'idle']);
  });
});
