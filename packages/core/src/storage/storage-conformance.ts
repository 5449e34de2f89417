import assert from 'node:assert/strict';
import { ReservedKeyError, StorageClosedError, StorageError } from '../errors/storage-error.js';
import { OFFSET_KEY } from './storage.js';
import type { Storage, StorageEntry, StorageIterator, StorageOp } from './storage.js';

/** The two functions of a test framework the suite needs (Vitest's, Jest's, `node:test`'s fit). */
export interface ConformanceTestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>): void;
}

/** How {@link runStorageConformance} gets stores. */
export interface StorageConformanceOptions {
  /** Opens a new, empty store; every test passes a topic not used before. */
  open(topic: string, partition: number): Promise<Storage>;
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const put = (key: string, value: Buffer): StorageOp => ({ type: 'put', key, value });
const del = (key: string): StorageOp => ({ type: 'del', key });

/** Keys whose UTF-8 byte order differs from JS string order, plus the empty key and a NUL. */
const ORDER_KEYS = ['b', 'a', 'ab', 'a\u0000', '', 'Z', 'é', 'ä', '\uFFFD', '\u{1F600}', '\uE000', '~'];

/** Keys sorted the way the store must yield them: by `Buffer.compare` of their UTF-8 bytes. */
function byteSorted(keys: readonly string[]): string[] {
  return keys.toSorted((x, y) => Buffer.compare(b(x), b(y)));
}

async function drain(iterator: StorageIterator): Promise<StorageEntry[]> {
  const entries: StorageEntry[] = [];
  for await (const entry of iterator) entries.push(entry);
  return entries;
}

async function keysOf(iterator: StorageIterator): Promise<string[]> {
  return (await drain(iterator)).map(([key]) => key);
}

/**
 * Runs the behaviour every {@link Storage} must have (get/set/delete/has, null vs empty, atomic
 * batches with offset, the reserved offset key, byte-ordered ranges, snapshot iteration, close)
 * against `options.open`. For authors of Storage implementations; uses `node:assert`.
 *
 * @example
 * import { describe, it } from 'vitest';
 * runStorageConformance('MemoryStorage', { describe, it }, { open: memoryStorageFactory() });
 */
export function runStorageConformance(
  name: string,
  api: ConformanceTestApi,
  options: StorageConformanceOptions,
): void {
  const { describe, it } = api;
  let topics = 0;

  /** Runs `fn` on a fresh store and closes it afterwards. */
  const withStore = (fn: (store: Storage) => Promise<void>) => async () => {
    topics += 1;
    const store = await options.open(`conformance-${topics}`, topics % 4);
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`${name} (Storage conformance)`, () => {
    it('get/has of a missing key', withStore(async (store) => {
      assert.equal(await store.get('missing'), undefined);
      assert.equal(await store.has('missing'), false);
    }));

    it('set, get, has, overwrite', withStore(async (store) => {
      await store.set('k', b('v1'));
      assert.deepEqual(await store.get('k'), b('v1'));
      assert.equal(await store.has('k'), true);
      await store.set('k', b('v2'));
      assert.deepEqual(await store.get('k'), b('v2'));
    }));

    it('delete removes a key; deleting a missing key is fine', withStore(async (store) => {
      await store.set('k', b('v'));
      await store.delete('k');
      assert.equal(await store.get('k'), undefined);
      assert.equal(await store.has('k'), false);
      await store.delete('never-set');
    }));

    it('an empty Buffer is a value, distinct from absence', withStore(async (store) => {
      await store.set('empty', Buffer.alloc(0));
      const value = await store.get('empty');
      assert.ok(Buffer.isBuffer(value));
      assert.equal(value.length, 0);
      assert.equal(await store.has('empty'), true);
      assert.deepEqual(await store.getMany(['empty', 'absent']), [Buffer.alloc(0), undefined]);
    }));

    it('null or non-Buffer values are rejected (a tombstone is a delete)', withStore(async (store) => {
      await assert.rejects(store.set('k', null as unknown as Buffer), StorageError);
      await assert.rejects(store.set('k', 'text' as unknown as Buffer), StorageError);
      await assert.rejects(store.write([put('k', undefined as unknown as Buffer)]), StorageError);
      assert.equal(await store.has('k'), false);
    }));

    it('the empty string is a valid key', withStore(async (store) => {
      await store.set('', b('root'));
      assert.deepEqual(await store.get(''), b('root'));
      assert.equal(await store.has(''), true);
      assert.deepEqual(await store.getMany(['x', '', 'y']), [undefined, b('root'), undefined]);
      assert.deepEqual(await keysOf(store.iterator()), ['']);
      await store.write([del('')]);
      assert.equal(await store.has(''), false);
    }));

    it('stored bytes are isolated from the caller’s Buffers', withStore(async (store) => {
      const input = b('abc');
      await store.set('k', input);
      input.fill(0);
      const first = await store.get('k');
      assert.deepEqual(first, b('abc'));
      first?.fill(0);
      assert.deepEqual(await store.get('k'), b('abc'));
    }));

    it('getMany keeps the order of the keys, with duplicates and misses', withStore(async (store) => {
      await store.write([
        put('a', b('1')),
        put('b', b('2')),
      ]);
      assert.deepEqual(await store.getMany([]), []);
      assert.deepEqual(await store.getMany(['b', 'x', 'a', 'b']), [b('2'), undefined, b('1'), b('2')]);
    }));

    it('write applies puts and deletes in order (last op on a key wins)', withStore(async (store) => {
      await store.set('gone', b('x'));
      await store.write([
        put('a', b('1')),
        put('a', b('2')),
        del('gone'),
        put('c', b('3')),
        del('c'),
      ]);
      assert.deepEqual(await store.getMany(['a', 'gone', 'c']), [b('2'), undefined, undefined]);
    }));

    it('write stores the offset in the same batch', withStore(async (store) => {
      assert.equal(await store.getOffset(), undefined);
      await store.write([put('a', b('1'))], 41);
      assert.equal(await store.getOffset(), 41);
      await store.write([], 42);
      assert.equal(await store.getOffset(), 42);
      await store.write([put('b', b('2'))]);
      assert.equal(await store.getOffset(), 42, 'a batch without offset keeps the offset');
      assert.deepEqual(await store.getMany(['a', 'b']), [b('1'), b('2')]);
    }));

    it('an invalid batch applies nothing (atomic)', withStore(async (store) => {
      await store.write([put('a', b('old'))], 7);
      await assert.rejects(
        store.write([put('a', b('new')), put(OFFSET_KEY, b('1'))], 8),
        ReservedKeyError,
      );
      await assert.rejects(store.write([put('a', b('new'))], -1), StorageError);
      await assert.rejects(
        store.write([put('a', b('new')), { type: 'merge', key: 'a' } as never], 8),
        StorageError,
      );
      assert.deepEqual(await store.get('a'), b('old'));
      assert.equal(await store.getOffset(), 7);
    }));

    it('setOffset / getOffset; only non-negative safe integers', withStore(async (store) => {
      await store.setOffset(0);
      assert.equal(await store.getOffset(), 0);
      await store.setOffset(Number.MAX_SAFE_INTEGER);
      assert.equal(await store.getOffset(), Number.MAX_SAFE_INTEGER);
      for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, '3' as unknown as number]) {
        await assert.rejects(store.setOffset(bad), StorageError);
      }
      assert.equal(await store.getOffset(), Number.MAX_SAFE_INTEGER);
    }));

    it(`the offset is not a user key; "${OFFSET_KEY}" is reserved`, withStore(async (store) => {
      await store.setOffset(12);
      assert.equal(await store.get(OFFSET_KEY), undefined);
      assert.equal(await store.has(OFFSET_KEY), false);
      assert.deepEqual(await store.getMany([OFFSET_KEY]), [undefined]);
      await assert.rejects(store.set(OFFSET_KEY, b('99')), (error: unknown) => {
        assert.ok(error instanceof ReservedKeyError);
        assert.equal(error.name, 'ReservedKeyError');
        assert.equal(error.key, OFFSET_KEY);
        return true;
      });
      await assert.rejects(store.delete(OFFSET_KEY), ReservedKeyError);
      assert.equal(await store.getOffset(), 12);
      await store.set('__offset2', b('fine'));
      await store.set('_offset', b('fine'));
      assert.deepEqual(await keysOf(store.iterator()), ['__offset2', '_offset']);
    }));

    it('iterates in UTF-8 byte order, not JS string order', withStore(async (store) => {
      await store.write(ORDER_KEYS.map((key) => put(key, b(`v:${key}`))), 3);
      const entries = await drain(store.iterator());
      assert.deepEqual(entries.map(([key]) => key), byteSorted(ORDER_KEYS));
      for (const [key, value] of entries) assert.deepEqual(value, b(`v:${key}`));
    }));

    it('iterates ranges [gte, lt)', withStore(async (store) => {
      await store.write(ORDER_KEYS.map((key) => put(key, b(key))), 3);
      const all = byteSorted(ORDER_KEYS);
      const expectRange = (gte: string | undefined, lt: string | undefined): string[] =>
        all.filter((k) => (gte === undefined || Buffer.compare(b(k), b(gte)) >= 0) && (lt === undefined || Buffer.compare(b(k), b(lt)) < 0));
      const cases: [string | undefined, string | undefined][] = [
        ['a', 'b'],
        ['a', undefined],
        [undefined, 'a'],
        ['', undefined],
        [undefined, ''],
        ['ab', 'ab'],
        ['b', 'a'],
        ['é', '\u{1F600}'],
        ['\uFFFD', '\u{1F600}'],
        ['\uE000', '\u{10FFFF}'],
        ['a\u0000', 'a\u0001'],
        ['_', '`'],
      ];
      for (const [gte, lt] of cases) {
        const got = await keysOf(store.iterator({ gte, lt }));
        assert.deepEqual(got, expectRange(gte, lt), `range gte=${JSON.stringify(gte)} lt=${JSON.stringify(lt)}`);
      }
      assert.deepEqual(await keysOf(store.iterator({ gte: '\uFFFD', lt: '\u{1F600}' })), ['\uFFFD']);
      assert.deepEqual(await keysOf(store.iterator({ lt: '' })), []);
    }));

    it('iterator skips the offset even inside its range', withStore(async (store) => {
      await store.write([
        put('_', b('1')),
        put('__p', b('2')),
      ], 5);
      assert.deepEqual(await keysOf(store.iterator({ gte: '_', lt: '`' })), ['_', '__p']);
    }));

    it('iteration sees a snapshot while the store is written', withStore(async (store) => {
      const keys = Array.from({ length: 200 }, (_, i) => `key-${String(i).padStart(3, '0')}`);
      await store.write(keys.map((key) => put(key, b('before'))));
      const iterator = store.iterator();
      const seen: StorageEntry[] = [];
      let i = 0;
      for await (const entry of iterator) {
        seen.push(entry);
        // Delete everything, rewrite values and add keys while iterating.
        if (i === 0) await store.write(keys.map((key) => del(key)));
        await store.set(`key-${String(i).padStart(3, '0')}`, b('after'));
        await store.set(`new-${i}`, b('new'));
        i += 1;
      }
      assert.deepEqual(seen.map(([key]) => key), keys);
      assert.ok(seen.every(([, value]) => value.equals(b('before'))));
      assert.equal((await keysOf(store.iterator({ gte: 'new-', lt: 'new.' }))).length, 200);
    }));

    it('concurrent next() calls resolve in order', withStore(async (store) => {
      await store.write(['a', 'b', 'c'].map((key) => put(key, b(key))));
      const iterator = store.iterator();
      const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
      assert.deepEqual(results.map((r) => (r.done === true ? null : r.value[0])), ['a', 'b', 'c', null]);
    }));

    it('breaking out of an iteration releases the iterator', withStore(async (store) => {
      await store.write(['a', 'b', 'c'].map((key) => put(key, b(key))));
      for await (const [key] of store.iterator()) {
        if (key === 'a') break;
      }
      const iterator = store.iterator({ gte: 'b' });
      assert.deepEqual((await iterator.next()).value, ['b', b('b')]);
      assert.deepEqual(await iterator.return?.(), { done: true, value: undefined });
      assert.deepEqual(await iterator.next(), { done: true, value: undefined });
    }));

    it('many keys come out sorted', withStore(async (store) => {
      const alphabet = ['a', 'z', 'A', '0', '-', '.', 'é', 'ß', '中', '\uFFFF', '\u{1F600}', '\u{10000}', '\u0001'];
      let seed = 7;
      const random = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      const keys = new Set<string>();
      while (keys.size < 1000) {
        let key = '';
        const length = 1 + random(6);
        for (let j = 0; j < length; j++) key += alphabet[random(alphabet.length)];
        keys.add(key);
      }
      const list = [...keys];
      await store.write(list.map((key) => put(key, b(key))));
      assert.deepEqual(await keysOf(store.iterator()), byteSorted(list));
      const [gte, lt] = byteSorted([list[10] as string, list[20] as string]) as [string, string];
      assert.deepEqual(
        await keysOf(store.iterator({ gte, lt })),
        byteSorted(list).filter((k) => Buffer.compare(b(k), b(gte)) >= 0 && Buffer.compare(b(k), b(lt)) < 0),
      );
    }));

    it('markRecovered resolves and keeps data', withStore(async (store) => {
      await store.write([put('a', b('1'))], 1);
      await store.markRecovered();
      assert.deepEqual(await store.get('a'), b('1'));
      assert.equal(await store.getOffset(), 1);
    }));

    it('after close every operation rejects with StorageClosedError; close is idempotent', async () => {
      topics += 1;
      const store = await options.open(`conformance-${topics}`, 0);
      await store.write(['a', 'b', 'c'].map((key) => put(key, b(key))), 1);
      const open = store.iterator();
      assert.deepEqual((await open.next()).value, ['a', b('a')]);
      await store.close();
      await store.close();
      const calls: [string, () => Promise<unknown>][] = [
        ['get', () => store.get('a')],
        ['getMany', () => store.getMany(['a'])],
        ['has', () => store.has('a')],
        ['set', () => store.set('a', b('x'))],
        ['delete', () => store.delete('a')],
        ['write', () => store.write([], 2)],
        ['getOffset', () => store.getOffset()],
        ['setOffset', () => store.setOffset(2)],
        ['markRecovered', () => store.markRecovered()],
        ['iterator (open before close)', () => open.next()],
        ['iterator (created after close)', () => store.iterator().next()],
      ];
      for (const [label, call] of calls) {
        await assert.rejects(call(), StorageClosedError, label);
      }
    });
  });
}
