import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageEntry, StorageIterator } from '../storage/storage.js';
import { MergeIterator } from './merge-iterator.js';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const text = (_key: string, value: Buffer): string => value.toString('utf8');

async function store(keys: readonly string[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  await storage.write(keys.map((key) => ({ type: 'put', key, value: b(`v-${key}`) })));
  return storage;
}

async function drain<T>(iterator: AsyncIterable<[string, T]>): Promise<Array<[string, T]>> {
  const entries: Array<[string, T]> = [];
  for await (const entry of iterator) entries.push(entry);
  return entries;
}

/** A source that records whether it was closed and can fail on a given step. */
function source(entries: StorageEntry[], failAt = -1): StorageIterator & { closed: boolean } {
  let index = 0;
  const iterator = {
    closed: false,
    async next(): Promise<IteratorResult<StorageEntry, undefined>> {
      if (index === failAt) throw new Error('source failed');
      const entry = entries[index++];
      return entry === undefined ? { done: true, value: undefined } : { done: false, value: entry };
    },
    async return(): Promise<IteratorResult<StorageEntry, undefined>> {
      iterator.closed = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

describe('MergeIterator', () => {
  it('merges four partitions into UTF-8 byte order (Goka merge iterator test)', async () => {
    const partitions = [
      ['b', 'f', 'z', '\u{1F600}'],
      ['a', 'ab', 'é'],
      [],
      ['', 'Z', 'c', '\uE000', 'a\u0000'],
    ];
    const stores = await Promise.all(partitions.map((keys) => store(keys)));
    const merged = await drain(new MergeIterator(stores.map((s) => s.iterator()), text));
    const all = partitions.flat().toSorted((x, y) => Buffer.compare(b(x), b(y)));
    expect(merged.map(([key]) => key)).toEqual(all);
    expect(merged.every(([key, value]) => value === `v-${key}`)).toBe(true);
  });

  it('is empty without sources or with only empty sources', async () => {
    expect(await drain(new MergeIterator([], text))).toEqual([]);
    const empty = await store([]);
    expect(await drain(new MergeIterator([empty.iterator(), empty.iterator()], text))).toEqual([]);
  });

  it('keeps a key present in two sources twice, in source order', async () => {
    const merged = await drain(
      new MergeIterator([source([['k', b('0')]]), source([['k', b('1')], ['l', b('2')]])], text),
    );
    expect(merged).toEqual([['k', '0'], ['k', '1'], ['l', '2']]);
  });

  it('return (break) closes all sources', async () => {
    const sources = [source([['a', b('1')], ['c', b('3')]]), source([['b', b('2')]])];
    const seen: string[] = [];
    for await (const [key] of new MergeIterator(sources, text)) {
      seen.push(key);
      if (key === 'b') break;
    }
    expect(seen).toEqual(['a', 'b']);
    expect(sources.map((s) => s.closed)).toEqual([true, true]);
  });

  it('a failing source or mapper rejects once, closes the sources, and ends', async () => {
    const sources = [source([['a', b('1')], ['c', b('3')]], 1), source([['b', b('2')]])];
    const iterator = new MergeIterator(sources, text);
    expect((await iterator.next()).value).toEqual(['a', '1']);
    await expect(iterator.next()).rejects.toThrow('source failed');
    expect(sources.map((s) => s.closed)).toEqual([true, true]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });

    const failing = new MergeIterator([source([['x', b('1')]])], () => {
      throw new Error('cannot map');
    });
    await expect(failing.next()).rejects.toThrow('cannot map');
    expect(await failing.next()).toEqual({ done: true, value: undefined });
  });

  it('advances lazily: a source is read one entry ahead', async () => {
    let pulls = 0;
    const counted = source([['a', b('1')], ['b', b('2')], ['c', b('3')]]);
    const next = counted.next.bind(counted);
    counted.next = () => {
      pulls += 1;
      return next();
    };
    const iterator = new MergeIterator([counted], text);
    await iterator.next();
    expect(pulls).toBe(1);
    await iterator.next();
    expect(pulls).toBe(2);
  });
});
