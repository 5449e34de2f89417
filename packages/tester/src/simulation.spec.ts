// Beyond Goka's tester: several instances of a group, rebalances, crashes and restarts, deterministically.
import { codecs, defineGroup, input, join, persist, tableName } from '@goka/core';
import type { ProcessContext, UpdateCallback } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createTester } from './tester.js';
import type { Tester } from './tester.js';
import type { TesterProcessorOptions } from './tester-processor-options.js';

type Ctx = ProcessContext<number>;

const table = tableName('counter');

/** Counts messages per key; with a gate, the first callback for `gate.value` waits for `gate.wait`. */
function counter(gate?: { value: string; wait: Promise<void>; entered: () => void }) {
  let gated = false;
  return defineGroup<Ctx>(
    'counter',
    input('clicks', codecs.string, async (ctx, message: string) => {
      if (message === gate?.value && !gated) {
        gated = true;
        gate.entered();
        await gate.wait;
      }
      ctx.setValue((ctx.value() ?? 0) + 1);
    }),
    persist(codecs.int64),
  );
}

/** Records which instance ran a callback, through the instance's context wrapper. */
function tagged(name: string, seen: string[], extra: TesterProcessorOptions = {}): TesterProcessorOptions {
  return {
    ...extra,
    contextWrapper: (ctx) => {
      seen.push(`${name}:${ctx.key}@${ctx.partition}`);
      return ctx;
    },
  };
}

/** A key that Goka's partitioner puts into `partition`. */
function keyIn(tester: Tester, partition: number, prefix = 'user'): string {
  for (let index = 0; ; index++) {
    const key = `${prefix}-${index}`;
    if (tester.partitionOf(key) === partition) return key;
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('rebalances', () => {
  it('moves partitions to a second instance and back when it stops, without reprocessing', async () => {
    const tester = createTester({ partitions: 4 });
    const seen: string[] = [];
    const keys = [0, 1, 2, 3].map((partition) => keyIn(tester, partition));
    const a = await tester.processor(counter(), tagged('a', seen));
    for (const key of keys) await tester.consume('clicks', key, 'x');
    expect(tester.assignments('counter')).toEqual(new Map([['counter#1', [0, 1, 2, 3]]]));

    const b = await tester.processor(counter(), tagged('b', seen));
    expect(tester.assignments('counter')).toEqual(
      new Map([
        ['counter#1', [0, 1]],
        ['counter#2', [2, 3]],
      ]),
    );
    // b recovered partitions 2 and 3 from the table topic; a no longer holds them
    expect(await b.get(keys[2] as string)).toBe(1);
    await expect(a.get(keys[2] as string)).rejects.toThrow(/partition 2/);

    seen.length = 0;
    for (const key of keys) await tester.consume('clicks', key, 'y');
    expect(seen.sort()).toEqual([`a:${keys[0]}@0`, `a:${keys[1]}@1`, `b:${keys[2]}@2`, `b:${keys[3]}@3`].sort());

    await b.stop();
    expect(tester.assignments('counter')).toEqual(new Map([['counter#1', [0, 1, 2, 3]]]));
    seen.length = 0;
    await tester.consume('clicks', keys[3] as string, 'z');
    expect(seen).toEqual([`a:${keys[3]}@3`]);
    // revoke committed everything: no message was processed twice
    expect(keys.map((key) => tester.tableValue(table, key))).toEqual([2, 2, 2, 3]);
  });

  it('keeps hot-standby copies of the partitions another instance owns', async () => {
    const tester = createTester({ partitions: 2 });
    const key = keyIn(tester, 1);
    const a = await tester.processor(counter(), { hotStandby: true });
    const b = await tester.processor(counter(), { hotStandby: true });
    expect([a.partitions(), b.partitions()]).toEqual([[0], [1]]);
    await tester.consume('clicks', key, 'x');
    await tester.consume('clicks', key, 'x');
    // a serves partition 1 from its standby copy, caught up through the table topic
    expect(await a.get(key)).toBe(2);
  });

  it('lets views and joins follow the table across a rebalance', async () => {
    const tester = createTester({ partitions: 2 });
    const view = await tester.view(table, codecs.int64);
    await tester.processor(counter());
    const joined: Array<number | undefined> = [];
    await tester.processor(
      defineGroup<Ctx>(
        'reader',
        input('reads', codecs.string, (ctx) => void joined.push(ctx.join<number>(table))),
        join(table, codecs.int64),
      ),
    );
    const key = keyIn(tester, 1);
    await tester.consume('clicks', key, 'x');
    await tester.processor(counter());
    await tester.consume('clicks', key, 'x');
    expect(await view.get(key)).toBe(2);
    await tester.consume('reads', key, 'read');
    expect(joined).toEqual([2]);
  });
});

describe('crashes', () => {
  it('redelivers the message a crashed instance was working on to the survivor; the dead one writes nothing', async () => {
    const tester = createTester({ partitions: 2 });
    const entered = signal();
    const release = signal();
    const graph = counter({ value: 'slow', wait: release.promise, entered: entered.resolve });
    const seen: string[] = [];
    const a = await tester.processor(graph, tagged('a', seen));
    const b = await tester.processor(graph, tagged('b', seen));
    const key = keyIn(tester, a.partitions()[0] as number);

    const consumed = tester.consume('clicks', key, 'slow');
    await entered.promise;
    await a.crash();
    expect(a.outcome).toBe('crashed');
    expect(tester.assignments('counter')).toEqual(new Map([['counter#2', [0, 1]]]));
    // the survivor got the message again and counted it
    expect(seen.filter((line) => line.startsWith('b:'))).toEqual([`b:${key}@${tester.partitionOf(key)}`]);
    await consumed;
    expect(await b.get(key)).toBe(1);
    // the crashed instance's callback finishes now: its writes are fenced
    release.resolve();
    await tester.catchup();
    expect(tester.tableValue(table, key)).toBe(1);
    // one table record only: the crashed instance's late write was fenced
    expect(tester.kafka.read(table, tester.partitionOf(key)).map((r) => r.value?.toString())).toEqual(['1']);
    expect(await b.get(key)).toBe(1);
  });

  it('processes uncommitted work again after a crash (at-least-once), but not committed work', async () => {
    const tester = createTester({ partitions: 2 });
    const hour = { commitIntervalMs: 3_600_000 };
    const a = await tester.processor(counter(), hour);
    await tester.processor(counter(), hour);
    const key = keyIn(tester, a.partitions()[0] as number);
    for (let i = 0; i < 3; i++) await tester.consume('clicks', key, 'x');
    expect(tester.tableValue(table, key)).toBe(3);
    await a.crash();
    // nothing was committed since the last rebalance: the survivor counts the three messages again
    expect(tester.tableValue(table, key)).toBe(6);

    const fresh = createTester({ partitions: 2 });
    const c = await fresh.processor(counter());
    await fresh.processor(counter());
    const other = keyIn(fresh, c.partitions()[0] as number);
    for (let i = 0; i < 3; i++) await fresh.consume('clicks', other, 'x');
    await fresh.waitForCommits();
    await c.crash();
    expect(fresh.tableValue(table, other)).toBe(3);
  });

  it('leaves a group without members until the crashed instance restarts and catches up', async () => {
    const tester = createTester({ partitions: 2 });
    const a = await tester.processor(counter());
    await tester.consume('clicks', 'alice', 'x');
    await tester.waitForCommits();
    await a.crash();
    await tester.consume('clicks', 'alice', 'x');
    expect(tester.tableValue(table, 'alice')).toBe(1);
    await a.restart();
    expect(a.outcome).toBe('running');
    expect(tester.tableValue(table, 'alice')).toBe(2);
    expect(await a.get('alice')).toBe(2);
  });

  it('refuses to crash an instance that is not running', async () => {
    const tester = createTester();
    const a = await tester.processor(counter());
    await a.stop();
    await expect(a.crash()).rejects.toThrow(/not running/);
  });
});

describe('restarts', () => {
  it('recovers only the new table records with its local storage, everything without it', async () => {
    const tester = createTester({ partitions: 1 });
    const recovered: string[] = [];
    const record: UpdateCallback = async (_context, storage, key, value) => {
      recovered.push(key);
      if (value === null) await storage.delete(key);
      else await storage.set(key, value);
    };
    const a = await tester.processor(counter(), { updateCallback: record });
    for (const key of ['a', 'b', 'a']) await tester.consume('clicks', key, 'x');
    expect(recovered).toEqual([]);

    await a.restart();
    expect(recovered).toEqual([]);
    expect(await a.get('a')).toBe(2);

    await a.restart({ keepStorage: false });
    expect(recovered).toEqual(['a', 'b', 'a']);
    expect(await a.get('a')).toBe(2);

    recovered.length = 0;
    await tester.consume('clicks', 'b', 'x');
    await tester.waitForCommits();
    await a.crash();
    await a.restart();
    // the crash closed nothing: the local store still has every write, so nothing is read back
    expect(recovered).toEqual([]);
    expect(await a.get('b')).toBe(2);
  });
});
