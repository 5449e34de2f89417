import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { ViewNotRunningError } from '../errors/table-error.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { TABLE, b, collect, fixture } from '../test-support/view-fixture.js';

describe('View reads', () => {
  it('get, has, iterator (byte order across partitions) and evict', async () => {
    const f = fixture(4);
    const keys = ['b', 'a', 'ab', 'é', 'Z', '', 'user-1', 'user-2', 'user-10', '\u{1F600}', '\uE000'];
    f.emit(keys.map((key) => [key, `v:${key}`] as const));
    f.emit([['gone', 'x'], ['gone', null], ['a', 'A2']]);
    const view = f.view();
    const controller = new AbortController();
    const running = view.run(controller.signal);
    await view.waitRunning();

    expect(view.topic).toBe(TABLE);
    expect(view.partitions).toEqual([0, 1, 2, 3]);
    // The keys really are spread over several partitions.
    expect(new Set(keys.map((key) => partitionFor(key, 4))).size).toBeGreaterThan(1);
    expect(await view.get('a')).toBe('A2');
    expect(await view.get('é')).toBe('v:é');
    expect(await view.get('')).toBe('v:');
    expect(await view.get('gone')).toBeUndefined();
    expect(await view.get('missing')).toBeUndefined();
    expect(await view.has('user-10')).toBe(true);
    expect(await view.has('gone')).toBe(false);

    const sorted = keys.toSorted((x, y) => Buffer.compare(b(x), b(y)));
    const entries = await collect(view.iterator());
    expect(entries.map(([key]) => key)).toEqual(sorted);
    expect(entries.find(([key]) => key === 'a')).toEqual(['a', 'A2']);
    expect((await collect(view.iterator({ gte: 'a', lt: 'user-10' }))).map(([key]) => key)).toEqual(['a', 'ab', 'b', 'user-1']);
    expect((await collect(view.iterator({ gte: 'user' }))).map(([key]) => key)).toEqual([
      'user-1', 'user-10', 'user-2', 'é', '\uE000', '\u{1F600}',
    ]);

    await view.evict('user-1');
    expect(await view.has('user-1')).toBe(false);
    expect(await view.get('user-1')).toBeUndefined();
    expect(f.memory.read(TABLE, partitionFor('user-1', 4)).some((m) => m.key?.toString() === 'user-1')).toBe(true);

    controller.abort();
    await running;
  });

  it('decodes with the codec and names topic and key when a stored value does not decode', async () => {
    const f = fixture(2);
    f.emit([['n', '42'], ['x', '7']]);
    // An update callback can store anything: here a value of `x` the int64 codec refuses.
    const view = f.view<number>(
      {
        updateCallback: async (_context, storage, key, value) => {
          if (value !== null) await storage.set(key, key === 'x' ? b('oops') : value);
        },
      },
      codecs.int64,
    );
    const running = view.run();
    await view.waitRunning();
    expect(await view.get('n')).toBe(42);
    const error = await view.get('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ topic: TABLE, key: 'x', codec: 'int64', operation: 'decode' });
    const iterated = collect(view.iterator());
    await expect(iterated).rejects.toBeInstanceOf(CodecError);
    await view.stop();
    await running;
  });

  it('reads fail while idle, with Goka\'s message idea', async () => {
    const f = fixture(2);
    const view = f.view();
    const error = await view.get('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewNotRunningError);
    expect(error).toMatchObject({ table: TABLE, state: 'idle' });
    expect((error as Error).message).toContain("View is either not running, not correctly initialized or stopped again. It's not safe to retrieve values");
    await expect(view.has('k')).rejects.toBeInstanceOf(ViewNotRunningError);
    await expect(view.evict('k')).rejects.toBeInstanceOf(ViewNotRunningError);
    expect(() => view.iterator()).toThrow(ViewNotRunningError);
    expect(view.recovered()).toBe(false);
    expect(view.partitions).toEqual([]);
    expect(view.stats()).toEqual({ table: TABLE, state: 'idle', partitions: [] });
  });

  it('uses the hasher option to find a key\'s partition', async () => {
    const f = fixture(3);
    // A producer that used a hasher putting everything in partition 2.
    f.memory.produce([{ topic: TABLE, partition: 2, key: b('k'), value: b('v') }]);
    const view = f.view({ hasher: () => 2 });
    const running = view.run();
    await view.waitRunning();
    expect(await view.get('k')).toBe('v');
    await view.stop();
    await running;
  });
});
