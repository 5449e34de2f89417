// Goka's integrationtest package (processor_test.go, view_test.go, including the scenarios it keeps
// commented out) and tester/tester_test.go, on @goka/tester.
import {
  codecs,
  defineGroup,
  GraphValidationError,
  input,
  output,
  persist,
  ViewNotRunningError,
  visitor,
} from '@goka/core';
import type { Codec, ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';

type Ctx = ProcessContext<number>;

/** Goka's failingDecode: encodes like int64, never decodes. */
const failingDecode: Codec<number> = {
  name: 'failing-decode',
  encode: (value) => codecs.int64.encode(value),
  decode: () => {
    throw new Error('Error decoding');
  },
};

describe('Goka integrationtest: processor', () => {
  describe('TestErrorCallback: errors inside the callback shut the processor down', () => {
    const cases: Array<[string, Codec<number>, (ctx: Ctx) => void, RegExp]> = [
      ['panic', codecs.int64, () => {
        throw new Error('failing');
      }, /failing/],
      ['decode', failingDecode, () => {}, /Error decoding/],
      ['invalid-context-op', codecs.int64, (ctx) => ctx.setValue(0), /cannot access state in stateless processor/],
    ];
    for (const [name, codec, consume, reason] of cases) {
      it(name, async () => {
        const tester = createTester();
        const proc = await tester.processor(defineGroup<Ctx>('test', input('input-topic', codec, consume)));
        const consumed = tester.consume('input-topic', 'a', 123);
        await expect(consumed).rejects.toThrow(/error processing message/);
        await expect(consumed).rejects.toThrow(reason);
        expect(proc.state).toBe('stopped');
      });
    }
  });

  it('TestHeaders: input headers reach the callback, emit headers reach the output', async () => {
    const tester = createTester();
    let seen: Record<string, string> = {};
    await tester.processor(
      defineGroup<Ctx>(
        'group',
        input('input', codecs.string, (ctx, message: string) => {
          seen = Object.fromEntries(Object.entries(ctx.headers).map(([name, value]) => [name, value.toString()]));
          ctx.emit('output', ctx.key, `forwarded: ${message}`, {
            headers: { Header1: Buffer.from('to output1'), Header2: Buffer.from('to output2b'), Header3: Buffer.from('to output3') },
          });
        }),
        output('output', codecs.string),
      ),
      { defaultHeaders: { Header1: Buffer.from('default'), Header4: Buffer.from('default 4') } },
    );
    const tracker = tester.tracker<string>('output');
    await tester.consume('input', 'key', 'some-message', {
      headers: { Header1: 'value 1', Header2: 'value 2b', Header3: Buffer.from('value 3') },
    });
    const message = tracker.next();
    expect(message).toMatchObject({ key: 'key', value: 'forwarded: some-message' });
    const headers = Object.fromEntries(Object.entries(message?.headers ?? {}).map(([name, value]) => [name, value.toString()]));
    // emit headers win over the processor's default headers
    expect(headers).toEqual({ Header1: 'to output1', Header2: 'to output2b', Header3: 'to output3', Header4: 'default 4' });
    expect(seen).toEqual({ Header1: 'value 1', Header2: 'value 2b', Header3: 'value 3' });
  });

  it('TestProcessorVisit: a visitor emits and sets values; visitAll counts the keys', async () => {
    const tester = createTester();
    const proc = await tester.processor(
      defineGroup<Ctx>(
        'test',
        input('input-topic', codecs.int64, (ctx, message: number) => ctx.setValue(message)),
        persist(codecs.int64),
        output('output', codecs.int64),
        visitor('reset', (ctx: Ctx, meta: number) => {
          ctx.emit('output', ctx.key, meta);
          ctx.setValue(meta);
        }),
      ),
    );
    const outputs = tester.tracker<number>('output');
    await tester.consume('input-topic', 'a', 123);
    expect(tester.tableValue('test-table', 'a')).toBe(123);
    expect(outputs.next()).toBeUndefined();
    expect(await proc.visitAll('reset', 15)).toBe(1);
    expect(outputs.next()).toMatchObject({ key: 'a', value: 15 });
    expect(tester.tableValue('test-table', 'a')).toBe(15);
    await proc.stop();
    expect(proc.outcome).toBe('stopped');
  });

  it('TestProcessorContextWrapper: the wrapper sees every callback and visitor', async () => {
    const tester = createTester();
    const wrapped: string[] = [];
    const proc = await tester.processor(
      defineGroup<Ctx>(
        'wrapped',
        input('input', codecs.int64, (ctx, message: number) => ctx.setValue(message)),
        persist(codecs.int64),
        visitor('double', (ctx: Ctx) => ctx.setValue((ctx.value() ?? 0) * 2)),
      ),
      {
        contextWrapper: <V>(ctx: ProcessContext<V>): ProcessContext<V> => {
          wrapped.push(`${ctx.topic}:${ctx.key}`);
          return new Proxy(ctx, {
            get(target, property) {
              if (property === 'setValue') return (value: V) => target.setValue((Number(value) + 1) as V);
              const member: unknown = Reflect.get(target, property, target);
              return typeof member === 'function' ? member.bind(target) : member;
            },
          });
        },
      },
    );
    await tester.consume('input', 'k', 10);
    expect(tester.tableValue('wrapped-table', 'k')).toBe(11);
    await proc.visitAll('double', undefined);
    expect(tester.tableValue('wrapped-table', 'k')).toBe(23);
    expect(wrapped).toEqual(['input:k', 'double:k']);
  });

  describe('nil handling (Goka’s commented-out TestProcessor_consumeNil)', () => {
    const emptyMarker: Codec<string> = { name: 'marker', encode: (v) => Buffer.from(v), decode: (b) => `decoded ${b.length} bytes` };
    const cases = [
      ['ignore', []],
      ['process', [null]],
      ['decode', ['decoded 0 bytes']],
    ] as const;
    for (const [handling, expected] of cases) {
      it(handling, async () => {
        const tester = createTester();
        const messages: Array<string | null> = [];
        const proc = await tester.processor(
          defineGroup('test', input('topic', emptyMarker, (_ctx, message: string | null) => void messages.push(message))),
          { nilHandling: handling },
        );
        await tester.consume('topic', 'key', null);
        expect(messages).toEqual(expected);
        await tester.waitForCommits();
        expect(tester.kafka.group('test').offsets().get('topic')?.get(0)).toBe(1);
        await proc.stop();
        expect(proc.outcome).toBe('stopped');
      });
    }
  });

  it('stateless misuse: reading the table of a processor without persist fails it', async () => {
    const tester = createTester();
    await tester.processor(defineGroup<Ctx>('stateless-ctx', input('input-topic', codecs.bytes, (ctx) => void ctx.value())));
    await expect(tester.consume('input-topic', 'key', Buffer.from('msg'))).rejects.toThrow(/stateless/);
  });

  it('stops cleanly while recovering its table (Goka’s commented-out TestProcessor_failOnRecover)', async () => {
    const tester = createTester();
    for (let i = 0; i < 10; i++) await tester.consume('test-table', `key-${i}`, Buffer.from(`state-${i}`), { codec: codecs.bytes });
    let entered!: () => void;
    const recovering = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const recovered: string[] = [];
    const proc = await tester.processor(
      defineGroup('test', input('topic', codecs.string, () => {}), persist(codecs.bytes)),
      {
        start: false,
        updateCallback: async (_context, storage, key, value) => {
          entered();
          await gate;
          recovered.push(key);
          if (value !== null) await storage.set(key, value);
        },
      },
    );
    const starting = proc.start();
    await recovering;
    expect(proc.state).toBe('setup');
    const stopping = proc.stop();
    release();
    await Promise.all([starting, stopping]);
    expect(proc.outcome).toBe('stopped');
    expect(recovered.length).toBeGreaterThan(0);
  });

  it('producer errors fail the processor after the callback returned (Goka’s TestProcessor_ProducerError)', async () => {
    const tester = createTester();
    await tester.processor(
      defineGroup<ProcessContext<string>>('test', input('topic', codecs.string, (ctx, m: string) => ctx.setValue(m)), persist(codecs.string)),
    );
    tester.kafka.setProduceFault((records) => (records.some((r) => r.topic === 'test-table') ? new Error('producer error') : undefined));
    await expect(tester.consume('topic', 'key', 'world')).rejects.toThrow(/producer error/);
  });
});

describe('Goka integrationtest: view', () => {
  it('fails Get before Run; after Run sees SetTableValue; missing keys are undefined; keys sorted', async () => {
    const tester = createTester();
    const view = await tester.view('test', codecs.string, { start: false });
    await expect(view.get('key')).rejects.toBeInstanceOf(ViewNotRunningError);

    const running = view.run();
    // waits internally until the view is running
    await tester.setTableValue('test', 'key', 'value');
    expect(await view.get('not-existent')).toBeUndefined();
    expect(await view.get('key')).toBe('value');
    expect(tester.tableKeys('test')).toEqual(['key']);
    await tester.setTableValue('test', 'key2', 'value');
    expect(tester.tableKeys('test')).toEqual(['key', 'key2']);
    await view.stop();
    await running;
  });
});

describe('Goka tester/tester_test', () => {
  it('fails for an empty group name', async () => {
    const tester = createTester();
    await expect(tester.processor(defineGroup('', input('in', codecs.string, () => {})))).rejects.toBeInstanceOf(
      GraphValidationError,
    );
  });

  it('delivers key and value; the timestamp is 0 unless given', async () => {
    const tester = createTester();
    const seen: Array<[string, string, number]> = [];
    await tester.processor(
      defineGroup('group', input('input', codecs.string, (ctx: Ctx, message: string) => void seen.push([ctx.key, message, ctx.timestamp]))),
    );
    await tester.consume('input', 'key', 'value');
    await tester.consume('input', 'key', 'later', { timestamp: Date.UTC(2024, 0, 1) });
    expect(seen).toEqual([
      ['key', 'value', 0],
      ['key', 'later', Date.UTC(2024, 0, 1)],
    ]);
  });
});
