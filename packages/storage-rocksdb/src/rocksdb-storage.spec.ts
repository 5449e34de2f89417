import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  codecs,
  defineGroup,
  Emitter,
  input,
  MemoryKafka,
  persist,
  Processor,
  ReservedKeyError,
  silentLogger,
  StorageError,
  StorageLockedError,
} from '@goka/core';
import { OFFSET_KEY, runStorageConformance } from '@goka/core/storage';
import type { GokaLogger, ProcessContext, StorageFactory } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RocksDbDatabase } from './rocksdb-database.js';
import { DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES, openOptions, rocksDbDatabasePath } from './rocksdb-instance.js';
import { RocksDbStorage } from './rocksdb-storage.js';
import { rocksDbStorageFactory } from './rocksdb-storage-factory.js';

let root = '';
let factory: StorageFactory;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'goka-rocksdb-'));
  factory = rocksDbStorageFactory({ path: join(root, 'conformance') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

runStorageConformance('RocksDbStorage', { describe, it }, { open: (topic, partition) => factory(topic, partition) });

/** Writes keys straight into the root's database with the binding (full keys, prefix included). */
async function writeRaw(path: string, entries: [string, string][]): Promise<void> {
  const location = rocksDbDatabasePath(path);
  await mkdir(location, { recursive: true });
  const db = await RocksDbDatabase.open(location, openOptions(), false);
  await db.write((batch) => entries.forEach(([key, value]) => batch.put(key, Buffer.from(value))));
  await db.close();
}

/** Reads every raw key/value of the root's database, offset keys included. */
async function readRaw(path: string): Promise<[string, string][]> {
  const db = await RocksDbDatabase.open(rocksDbDatabasePath(path), { ...openOptions(), createIfMissing: false }, false);
  const iterator = db.iterator('', '\uffff');
  const entries: [string, string][] = [];
  for (;;) {
    const { rows, finished } = await db.next(iterator, 100);
    for (let i = 0; i < rows.length; i += 2) entries.push([rows[i] as string, (rows[i + 1] as Buffer).toString('latin1')]);
    if (finished) break;
  }
  db.endIterator(iterator);
  await db.close();
  return entries;
}

/** A logger that keeps its warnings. */
function recordingLogger(lines: string[]): GokaLogger {
  const ignore = (): void => {};
  return { debug: ignore, info: ignore, warn: (message) => lines.push(message), error: ignore };
}

/** The memtable size RocksDB recorded in the newest OPTIONS file of a root's database. */
async function storedWriteBufferSize(path: string): Promise<number> {
  return Number(await storedOption(path, 'write_buffer_size'));
}

/** An option as RocksDB recorded it in the database's latest OPTIONS file. */
async function storedOption(path: string, name: string): Promise<string | undefined> {
  const location = rocksDbDatabasePath(path);
  const latest = (await readdir(location)).filter((file) => file.startsWith('OPTIONS-')).toSorted().at(-1) ?? '';
  return new RegExp(`^\\s*${name}=(.*)$`, 'm').exec(await readFile(join(location, latest), 'utf8'))?.[1];
}

/** How many file descriptors this process has open (Linux). */
async function openFileCount(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

describe('RocksDbStorage', () => {
  it('keeps every topic-partition of a root in one database <root>/rocksdb', async () => {
    const path = join(root, 'layout');
    const open = rocksDbStorageFactory({ path });
    const a = await open('clicks-table', 0);
    const b = await open('clicks-table', 1);
    const c = await open('user-profiles', 0);
    await Promise.all([a.close(), b.close(), c.close()]);
    expect(await readdir(path)).toEqual(['rocksdb']);
    expect(rocksDbDatabasePath('/r')).toBe(join('/r', 'rocksdb'));
    expect(existsSync(join(path, 'rocksdb', 'CURRENT'))).toBe(true);
  });

  it('stores raw value bytes per key and the offset as decimal text, under the prefix <topic>.<partition>/', async () => {
    const path = join(root, 'raw');
    const store = await RocksDbStorage.open({ path, topic: 't', partition: 0 });
    const other = await RocksDbStorage.open({ path, topic: 't', partition: 10 });
    await store.write([
      { type: 'put', key: 'user-1', value: Buffer.from([0x34, 0x32]) },
      { type: 'put', key: 'empty', value: Buffer.alloc(0) },
      { type: 'put', key: '', value: Buffer.from('e') },
    ], 1234);
    await other.write([{ type: 'put', key: 'user-1', value: Buffer.from('7') }], 3);
    await Promise.all([store.close(), other.close()]);
    expect(await readRaw(path)).toEqual([
      ['t.0/', 'e'],
      [`t.0/${OFFSET_KEY}`, '1234'],
      ['t.0/empty', ''],
      ['t.0/user-1', '42'],
      [`t.10/${OFFSET_KEY}`, '3'],
      ['t.10/user-1', '7'],
    ]);
  });

  it('keeps partitions apart: the same key in two partitions, ranges and iteration stay in their own', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'apart') });
    const one = await open('t', 1);
    const ten = await open('t', 10);
    const other = await open('t.1', 0);
    await one.write([{ type: 'put', key: 'k', value: Buffer.from('one') }, { type: 'put', key: '\uffff', value: Buffer.from('max') }], 5);
    await ten.write([{ type: 'put', key: 'k', value: Buffer.from('ten') }], 6);
    await other.set('a', Buffer.from('other'));
    expect(await one.getMany(['k', OFFSET_KEY, ''])).toEqual([Buffer.from('one'), undefined, undefined]);
    expect(await ten.get('k')).toEqual(Buffer.from('ten'));
    const drain = async (store: typeof one, range = {}): Promise<string[]> => {
      const keys: string[] = [];
      for await (const [key] of store.iterator(range)) keys.push(key);
      return keys;
    };
    expect(await drain(one)).toEqual(['k', '\uffff']);
    expect(await drain(ten)).toEqual(['k']);
    expect(await drain(other)).toEqual(['a']);
    expect(await drain(one, { gte: 'l' })).toEqual(['\uffff']);
    expect(await drain(one, { lt: '' })).toEqual([]);
    await ten.delete('k');
    expect(await one.get('k')).toEqual(Buffer.from('one'));
    expect([await one.getOffset(), await ten.getOffset()]).toEqual([5, 6]);
    await Promise.all([one.close(), ten.close(), other.close()]);
  });

  it('reads a store written in Goka’s content (raw values, decimal __offset), skipping __offset', async () => {
    const path = join(root, 'goka');
    await writeRaw(path, [[`counts-table.2/${OFFSET_KEY}`, '17'], ['counts-table.2/a', '1'], ['counts-table.2/b', '2']]);
    const store = await RocksDbStorage.open({ path, topic: 'counts-table', partition: 2 });
    expect(await store.getOffset()).toBe(17);
    const keys: string[] = [];
    for await (const [key] of store.iterator()) keys.push(key);
    expect(keys).toEqual(['a', 'b']);
    await store.close();
  });

  it('opens 128 partitions of one root with a handful of file descriptors, not some per partition', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'wide') });
    const before = await openFileCount();
    const stores = await Promise.all(Array.from({ length: 128 }, (_, partition) => open('wide-table', partition)));
    await Promise.all(stores.map((store, partition) => store.write([{ type: 'put', key: 'k', value: Buffer.from(String(partition)) }], partition)));
    const during = await openFileCount();
    expect(during - before).toBeLessThan(16);
    expect((await stores[77]?.get('k'))?.toString()).toBe('77');
    await Promise.all(stores.map((store) => store.close()));
  });

  it('closes the database with its last partition and opens it again for a partition opened meanwhile', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'cycle') });
    for (let round = 0; round < 20; round++) {
      const store = await open('cycle-table', round % 3);
      await store.write([{ type: 'put', key: 'round', value: Buffer.from(String(round)) }], round);
      const closing = store.close();
      const next = open('cycle-table', (round + 1) % 3);
      await closing;
      await (await next).close();
    }
    const last = await open('cycle-table', 19 % 3);
    expect((await last.get('round'))?.toString()).toBe('19');
    await last.close();
    // Twenty database opens with their WAL replay: seconds on a busy 2-core machine, not a wait.
  }, 60_000);

  it('removes a store the old rocksdb binding left for a partition, logs it, and rebuilds it empty', async () => {
    const path = join(root, 'legacy');
    const legacy = join(path, 'clicks-table.4');
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, 'CURRENT'), 'MANIFEST-000005\n');
    await writeFile(join(legacy, '000004.sst'), 'old snappy data');
    const warnings: string[] = [];
    const store = await rocksDbStorageFactory({ path, logger: recordingLogger(warnings) })('clicks-table', 4);
    expect(await store.getOffset()).toBeUndefined();
    expect(existsSync(legacy)).toBe(false);
    expect(warnings).toEqual([
      `storage of topic "clicks-table" partition 4: removed ${legacy}, a store of the old rocksdb binding ` +
        '(its files cannot be read by the new one); the partition is rebuilt from its table topic',
    ]);
    await store.close();
  });

  it('gives the whole instance one block cache of the budget, whatever its partition count', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'budget'), memory: { blockCacheBytes: 3 << 20, writeBufferBytes: 2 << 20 } });
    const stores = await Promise.all(Array.from({ length: 16 }, (_, partition) => open('budget-table', partition))) as RocksDbStorage[];
    await Promise.all(stores.map((store) => store.write([{ type: 'put', key: 'k', value: Buffer.alloc(1000) }], 1)));
    const usage = stores.map((store) => store.memoryUsage());
    expect(usage.every((u) => u.blockCacheCapacity === 3 << 20)).toBe(true);
    expect(usage[0]?.memtables).toBeGreaterThan(16_000);
    expect(new Set(usage.map((u) => u.memtables)).size).toBe(1);
    await Promise.all(stores.map((store) => store.close()));
    // Memtables are a quarter of writeBufferBytes each (RocksDB records the size it uses).
    expect(await storedWriteBufferSize(join(root, 'budget'))).toBe((2 << 20) / 4);
    const defaults = (await rocksDbStorageFactory({ path: join(root, 'budget-default') })('t', 0)) as RocksDbStorage;
    expect(defaults.memoryUsage().blockCacheCapacity).toBe(DEFAULT_BLOCK_CACHE_BYTES);
    await defaults.close();
    expect(await storedWriteBufferSize(join(root, 'budget-default'))).toBe(DEFAULT_WRITE_BUFFER_BYTES / 4);
  });

  it('tunes the database for reads by key: memtable bloom filters, hash-indexed blocks', async () => {
    const storage = (await rocksDbStorageFactory({ path: join(root, 'point') })('t', 0)) as RocksDbStorage;
    await storage.close();
    expect(await storedOption(join(root, 'point'), 'memtable_whole_key_filtering')).toBe('true');
    expect(Number(await storedOption(join(root, 'point'), 'memtable_prefix_bloom_size_ratio'))).toBeGreaterThan(0);
    expect(await storedOption(join(root, 'point'), 'data_block_index_type')).toBe('kDataBlockBinaryAndHash');
  });

  it('refuses a memory budget out of range when the factory is made', () => {
    expect(() => rocksDbStorageFactory({ path: root, memory: { blockCacheBytes: -1 } })).toThrow(StorageError);
    expect(() => rocksDbStorageFactory({ path: root, memory: { writeBufferBytes: 1000 } })).toThrow(
      'RocksDB storage: memory.writeBufferBytes must be an integer from 1048576 to 4294967295 bytes, got 1000',
    );
    expect(() => rocksDbStorageFactory({ path: root, memory: { blockCacheBytes: 2 ** 32 } })).toThrow(StorageError);
  });

  it('a second factory on the same root in one process shares the database', async () => {
    const path = join(root, 'shared');
    const a = await rocksDbStorageFactory({ path })('t', 0);
    const b = await rocksDbStorageFactory({ path })('t', 1);
    await expect(rocksDbStorageFactory({ path })('t', 0)).rejects.toBeInstanceOf(StorageLockedError);
    await a.set('k', Buffer.from('a'));
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps values and offset across reopen', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'reopen') });
    const first = await open('t', 0);
    expect(await first.getOffset()).toBeUndefined();
    await first.write([{ type: 'put', key: 'k', value: Buffer.from('v') }], 99);
    await first.setOffset(100);
    await first.markRecovered();
    await first.close();

    const second = await open('t', 0);
    expect(await second.getOffset()).toBe(100);
    expect(await second.get('k')).toEqual(Buffer.from('v'));
    await second.write([{ type: 'del', key: 'k' }], 101);
    await second.close();

    const third = await open('t', 0);
    expect(await third.getOffset()).toBe(101);
    expect(await third.has('k')).toBe(false);
    await third.close();
  });

  it('refuses a user key "__offset" (Goka would overwrite its offset) and keeps the offset', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'reserved') });
    const store = await open('t', 0);
    await store.setOffset(5);
    await expect(store.set(OFFSET_KEY, Buffer.from('oops'))).rejects.toBeInstanceOf(ReservedKeyError);
    await expect(store.write([{ type: 'put', key: OFFSET_KEY, value: Buffer.from('9') }])).rejects.toThrow(
      `storage of topic "t" partition 0 at ${rocksDbDatabasePath(join(root, 'reserved'))} (t.0/): the key "__offset" is reserved`,
    );
    expect(await store.get(OFFSET_KEY)).toBeUndefined();
    await store.close();
    const reopened = await open('t', 0);
    expect(await reopened.getOffset()).toBe(5);
    await reopened.close();
  });

  it('fails to open a store whose __offset is not decimal, naming the path', async () => {
    const path = join(root, 'corrupt');
    await writeRaw(path, [[`t.0/${OFFSET_KEY}`, 'twelve']]);
    const error: unknown = await RocksDbStorage.open({ path, topic: 't', partition: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain(`at ${rocksDbDatabasePath(path)} (t.0/): stored offset "twelve"`);
    // The failed open released the database.
    await writeRaw(path, [[`t.0/${OFFSET_KEY}`, '3']]);
    const store = await RocksDbStorage.open({ path, topic: 't', partition: 0 });
    expect(await store.getOffset()).toBe(3);
    await store.close();
  });

  it('maps keys with lone surrogates to their UTF-8 bytes (U+FFFD), like MemoryStorage', async () => {
    const store = await rocksDbStorageFactory({ path: join(root, 'surrogates') })('t', 0);
    await store.set('\ud800', Buffer.from('1'));
    expect(await store.get('\uFFFD')).toEqual(Buffer.from('1'));
    expect(await store.getMany(['\udc00'])).toEqual([Buffer.from('1')]);
    await store.close();
  });

  it('iterates 10 000 keys in byte order and reads them back with one getMany', async () => {
    const store = await rocksDbStorageFactory({ path: join(root, 'many') })('t', 0);
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${(i * 7919) % 10_000}-${i % 3 === 0 ? 'é' : i % 3 === 1 ? '😀' : '\uFFFD'}`);
    await store.write(keys.map((key) => ({ type: 'put', key, value: Buffer.from(key) })), 10_000);
    const seen: string[] = [];
    for await (const [key, value] of store.iterator()) {
      seen.push(key);
      if (!value.equals(Buffer.from(key))) throw new Error(`wrong value for ${key}`);
    }
    expect(seen).toEqual(keys.toSorted((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    const values = await store.getMany(keys);
    expect(values.every((value, i) => value?.toString() === keys[i])).toBe(true);
    await store.close();
  });

  it('writes with sync, a small memory budget and custom tuning', async () => {
    const open = rocksDbStorageFactory({
      path: join(root, 'tuned'),
      sync: true,
      memory: { blockCacheBytes: 1 << 20, writeBufferBytes: 1 << 20 },
      rocksdb: { compression: false, blockSize: 8192, parallelism: 1, infoLogLevel: 'error' },
    });
    const store = await open('t', 0);
    await store.write([{ type: 'put', key: 'a', value: Buffer.from('1') }], 0);
    expect(await store.getOffset()).toBe(0);
    await store.close();
  });

  it('applies writes in call order without awaiting each', async () => {
    const store = await rocksDbStorageFactory({ path: join(root, 'order') })('t', 0);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      pending.push(store.write([{ type: 'put', key: 'k', value: Buffer.from(String(i)) }], i));
      if (i % 50 === 0) pending.push(store.delete('k'));
    }
    await Promise.all(pending);
    expect(await store.get('k')).toEqual(Buffer.from('199'));
    expect(await store.getOffset()).toBe(199);
    await store.close();
  });

  it('close waits for queued writes', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'close-writes') });
    const store = await open('t', 0);
    const write = store.write([{ type: 'put', key: 'late', value: Buffer.from('x') }], 1);
    await store.close();
    await write;
    const reopened = await open('t', 0);
    expect(await reopened.get('late')).toEqual(Buffer.from('x'));
    await reopened.close();
  });

  it('rejects topic names that would leave the root', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'names') });
    await expect(open('../escape', 0)).rejects.toThrow(StorageError);
    await expect(open('t', -1)).rejects.toThrow('partition must be a non-negative integer');
  });

  it('reports other open failures as StorageError naming the path', async () => {
    await writeFile(join(root, 'plain-file'), 'not a directory');
    const location = rocksDbDatabasePath(join(root, 'plain-file'));
    const error: unknown = await RocksDbStorage.open({ path: join(root, 'plain-file'), topic: 't', partition: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).path).toBe(location);
    expect((error as StorageError).message).toContain(`storage of topic "t" partition 0 at ${location}: open failed:`);
  });

  it('loads the maintained binding that package.json declares, not the old rocksdb package', () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('@nxtedition/rocksdb/binding.js')).toMatch(/@nxtedition\+rocksdb@12\./);
    const manifest = require('../package.json') as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('rocksdb');
  });
});

describe('README example', () => {
  it('a Processor keeps its table in one database under its folder, within the memory budget', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 4 });
    const graph = defineGroup(
      'clicks',
      input('clicks', codecs.string, (ctx: ProcessContext<number>) => ctx.setValue((ctx.value() ?? 0) + 1)),
      persist(codecs.int64),
    );
    const path = join(root, 'readme', 'processors', 'clicks');
    const processor = new Processor(graph, {
      kafka,
      logger: silentLogger,
      initialOffset: 'oldest',
      storage: rocksDbStorageFactory({
        path, // one folder per processor or view instance
        memory: { blockCacheBytes: 64 << 20, writeBufferBytes: 32 << 20 }, // the instance's whole budget
      }),
    });
    const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
    await Promise.all(['alice', 'bob', 'alice'].map((user) => emitter.emit(user, 'click')));
    const running = processor.run();
    await processor.waitForReady();
    await vi.waitFor(async () => expect(await processor.get('alice')).toBe(2));
    expect(await processor.get('bob')).toBe(1);
    await processor.stop();
    await running;
    expect(await readdir(path)).toEqual(['rocksdb']);
    expect(await storedWriteBufferSize(path)).toBe((32 << 20) / 4);
  });
});
