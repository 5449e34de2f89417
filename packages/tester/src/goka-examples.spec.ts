// Goka's examples/4-tests/example_test.go, scenario by scenario, on @goka/tester.
import { codecs, defineGroup, input, inputs, join, loop, output, persist, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';

type Ctx = ProcessContext<string>;

/** Goka's `regexp.MustCompile(")")`, built at run time so that linters let it through. */
const unbalanced = String.fromCharCode(41);

describe('Goka examples/4-tests', () => {
  it('(1) one processor with only one input', async () => {
    const tester = createTester();
    let received: string | undefined;
    const proc = await tester.processor(
      defineGroup('group', input('input', codecs.string, (_ctx, message: string) => void (received = message))),
    );
    await tester.consume('input', 'key', 'some message');
    expect(received).toBe('some message');
    await proc.stop();
    expect(proc.outcome).toBe('stopped');
  });

  it('(2) one input and one output, checked with a queue tracker', async () => {
    const tester = createTester();
    await tester.processor(
      defineGroup<Ctx>(
        'group',
        input('input', codecs.string, (ctx, message: string) => ctx.emit('output', ctx.key, `forwarded: ${message}`)),
        output('output', codecs.string),
      ),
    );
    // a tracker created after the consume would not see the message
    const tracker = tester.tracker<string>('output');
    await tester.consume('input', 'key', 'some-message');
    expect(tracker.next()).toMatchObject({ key: 'key', value: 'forwarded: some-message' });
  });

  it('SetTableValue, then Consume adds to it', async () => {
    const tester = createTester();
    await tester.processor(
      defineGroup<ProcessContext<number>>(
        'group',
        input('input', codecs.int64, (ctx, message: number) => ctx.setValue((ctx.value() ?? 0) + message)),
        persist(codecs.int64),
      ),
    );
    await tester.setTableValue('group-table', 'value', 10);
    await tester.consume('input', 'value', 2);
    expect(tester.tableValue('group-table', 'value')).toBe(12);
  });

  it('a graph with Join and Output runs', async () => {
    const tester = createTester();
    const proc = await tester.processor(
      defineGroup('group', input('input', codecs.int64, () => {}), output('output', codecs.int64), join('join', codecs.int64)),
    );
    await tester.consume('input', 'value', 2);
    expect(proc.outcome).toBe('running');
  });

  it('(3) persist instead of output', async () => {
    const tester = createTester();
    await tester.processor(
      defineGroup<Ctx>(
        'group',
        input('input', codecs.string, (ctx, message: string) => ctx.setValue(`state: ${message}`)),
        persist(codecs.string),
      ),
    );
    await tester.consume('input', 'key', 'some-message');
    expect(tester.tableValue('group-table', 'key')).toBe('state: some-message');
  });

  describe('(4) subtests share one setup: ClearValues and trackers', () => {
    const tester = createTester();
    const ready = tester.processor(
      defineGroup<Ctx>(
        'group',
        input('input', codecs.string, (ctx, message: string) => {
          ctx.setValue(`state: ${message}`);
          ctx.emit('output', 'output-key', `forwarded: ${message}`);
        }),
        persist(codecs.string),
        output('output', codecs.string),
      ),
    );

    it('test-1', async () => {
      await ready;
      await tester.clearValues();
      const tracker = tester.tracker<string>('output');
      await tester.consume('input', 'bob', 'hello');
      expect(tracker.next()).toMatchObject({ key: 'output-key', value: 'forwarded: hello' });
      expect([tracker.hwm(), tracker.nextOffset()]).toEqual([1, 1]);
      expect(tracker.next()).toBeUndefined();
    });

    it('test-2', async () => {
      await ready;
      await tester.clearValues();
      expect(tester.tableKeys('group-table')).toEqual([]);
      await tester.consume('input', 'bob', 'hello');
      expect(tester.tableValue('group-table', 'bob')).toBe('state: hello');
    });
  });

  it('(5) loops and several processors in one tester cascade to the end', async () => {
    const tester = createTester();
    await tester.processor(
      defineGroup<Ctx>(
        'proc1',
        input('input', codecs.string, (ctx, message: string) => ctx.loopback(ctx.key, `loop: ${message}`)),
        loop(codecs.string, (ctx: Ctx, message: string) => ctx.emit('proc1-out', ctx.key, `proc1-out: ${message}`)),
        output('proc1-out', codecs.string),
      ),
    );
    await tester.processor(
      defineGroup<Ctx>(
        'proc2',
        input('proc1-out', codecs.string, (ctx, message: string) => ctx.setValue(`persist: ${message}`)),
        persist(codecs.string),
      ),
    );
    await tester.consume('input', 'bob', 'hello world');
    expect(tester.tableValue(tableName('proc2'), 'bob')).toBe('persist: proc1-out: loop: hello world');
  });

  describe('(6) failing callbacks make consume (and the processor run) fail', () => {
    const failers: Array<[string, (ctx: ProcessContext) => void, RegExp]> = [
      ['throws explicitly', () => {
        throw new Error('some panic');
      }, /some panic/],
      ['dereferences undefined', () => {
        const missing = undefined as unknown as { field: { value: number } };
        void missing.field.value;
      }, /Cannot read properties of undefined/],
      ['fails the context', (ctx) => ctx.fail(new Error('failing callback')), /failing callback/],
      ['divides by zero (Infinity does not encode as int64)', (ctx) => {
        const zero = Number(ctx.key.length - ctx.key.length);
        ctx.emit('numbers', ctx.key, 123 / zero);
      }, /int64 codec cannot encode .*Infinity is not an integer/],
      ['compiles a bad regex', () => void new RegExp(unbalanced), /Invalid regular expression/],
    ];
    for (const [name, failer, message] of failers) {
      it(name, async () => {
        const tester = createTester();
        const proc = await tester.processor(
          defineGroup(
            'group',
            inputs(['input', 'input2', 'input3', 'input4'], codecs.string, (ctx: ProcessContext) => failer(ctx)),
            output('numbers', codecs.int64),
          ),
        );
        const consumed = tester.consume('input', 'key', 'some-message');
        await expect(consumed).rejects.toThrow(/^error processing message/);
        await expect(consumed).rejects.toThrow(message);
        await expect(consumed).rejects.toMatchObject({ group: 'group', topic: 'input', partition: 0, offset: 0, key: 'key' });
        expect(proc.outcome).toBe('failed');
        expect(proc.error).toBe(await consumed.catch((error: unknown) => error));
      });
    }
  });
});
