import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OFFSET_KEY, ReservedKeyError, runStorageConformance, StorageError } from '@goka/core';
import type { StorageFactory } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callback } from './callback.js';
import { RocksDbDatabase } from './rocksdb-database.js';
import { RocksDbStorage } from './rocksdb-storage.js';
import { rocksDbStorageFactory, rocksDbStoragePath } from './rocksdb-storage-factory.js';

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

/** Writes keys straight into a database with the raw module (as Go Goka's cache would hold them). */
async function writeRaw(location: string, entries: [string, string][]): Promise<void> {
  await mkdir(dirname(location), { recursive: true });
  const db = await RocksDbDatabase.open(location, { createIfMissing: true }, false);
  await db.batch(entries.map(([key, value]) => ({ type: 'put', key, value: Buffer.from(value) })));
  await db.close();
}

/** Reads every raw key/value of a database, the offset key included. */
async function readRaw(location: string): Promise<[string, string][]> {
  const db = await RocksDbDatabase.open(location, { createIfMissing: false }, false);
  const iterator = db.iterator({});
  const entries: [string, string][] = [];
  for (;;) {
    const entry = await new Promise<[string, Buffer] | undefined>((resolve, reject) =>
      iterator.next((error, key, value) => (error ? reject(error) : resolve(key === undefined || value === undefined ? undefined : [key, value]))),
    );
    if (entry === undefined) break;
    entries.push([entry[0], entry[1].toString('latin1')]);
  }
  await callback((done) => iterator.end(done));
  await db.close();
  return entries;
}

describe('RocksDbStorage', () => {
  it('keeps one database per topic-partition under <root>/<topic>.<partition>', async () => {
    const path = join(root, 'layout');
    const open = rocksDbStorageFactory({ path });
    const a = await open('clicks-table', 0);
    const b = await open('clicks-table', 1);
    const c = await open('user-profiles', 0);
    await Promise.all([a.close(), b.close(), c.close()]);
    expect((await readdir(path)).toSorted()).toEqual(['clicks-table.0', 'clicks-table.1', 'user-profiles.0']);
    expect(rocksDbStoragePath('/r', 't', 3)).toBe(join('/r', 't.3'));
    expect(existsSync(join(path, 'clicks-table.1', 'CURRENT'))).toBe(true);
  });

  it('stores raw value bytes per key and the offset as decimal text under __offset (Goka layout)', async () => {
    const location = join(root, 'raw', 't.0');
    const store = await RocksDbStorage.open({ location, topic: 't', partition: 0 });
    await store.write([
      { type: 'put', key: 'user-1', value: Buffer.from([0x34, 0x32]) },
      { type: 'put', key: 'empty', value: Buffer.alloc(0) },
    ], 1234);
    await store.close();
    expect(await readRaw(location)).toEqual([[OFFSET_KEY, '1234'], ['empty', ''], ['user-1', '42']]);
  });

  it('reads a store written in Goka’s layout, skipping __offset', async () => {
    const location = join(root, 'goka', 'counts-table.2');
    await writeRaw(location, [[OFFSET_KEY, '17'], ['a', '1'], ['b', '2']]);
    const store = await RocksDbStorage.open({ location });
    expect(await store.getOffset()).toBe(17);
    const keys: string[] = [];
    for await (const [key] of store.iterator()) keys.push(key);
    expect(keys).toEqual(['a', 'b']);
    await store.close();
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
      `storage of topic "t" partition 0 at ${join(root, 'reserved', 't.0')}: the key "__offset" is reserved`,
    );
    expect(await store.get(OFFSET_KEY)).toBeUndefined();
    await store.close();
    const reopened = await open('t', 0);
    expect(await reopened.getOffset()).toBe(5);
    await reopened.close();
  });

  it('fails to open a store whose __offset is not decimal, naming the path', async () => {
    const location = join(root, 'corrupt', 't.0');
    await writeRaw(location, [[OFFSET_KEY, 'twelve']]);
    const error: unknown = await RocksDbStorage.open({ location, topic: 't', partition: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain(`at ${location}: stored offset "twelve"`);
    // The failed open released the database.
    await writeRaw(location, [[OFFSET_KEY, '3']]);
    const store = await RocksDbStorage.open({ location });
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

  it('writes with sync and custom tuning', async () => {
    const open = rocksDbStorageFactory({ path: join(root, 'tuned'), sync: true, rocksdb: { cacheSize: 1 << 20, compression: false, infoLogLevel: 'error' } });
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
    const location = join(root, 'plain-file', 't.0');
    const error: unknown = await RocksDbStorage.open({ location, topic: 't', partition: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).path).toBe(location);
    expect((error as StorageError).message).toContain(`storage of topic "t" partition 0 at ${location}: open failed:`);
  });

  it('loads the rocksdb binding that package.json declares', () => {
    const resolved = createRequire(import.meta.url).resolve('rocksdb');
    expect(resolved).toMatch(/rocksdb/);
  });
});
