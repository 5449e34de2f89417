import { describe, expect, it } from 'vitest';
import { StorageClosedError, StorageError } from '../errors/storage-error.js';
import { MemoryStorage } from './memory-storage.js';
import { memoryStorageFactory } from './memory-storage-factory.js';
import { runStorageConformance } from './storage-conformance.js';

runStorageConformance('MemoryStorage', { describe, it }, { open: memoryStorageFactory() });

describe('MemoryStorage', () => {
  it('the factory returns a new empty store per call (Goka MemoryBuilder)', async () => {
    const factory = memoryStorageFactory();
    const first = await factory('t', 0);
    await first.set('k', Buffer.from('v'));
    await first.setOffset(3);
    const second = await factory('t', 0);
    expect(second).not.toBe(first);
    expect(await second.get('k')).toBeUndefined();
    expect(await second.getOffset()).toBeUndefined();
  });

  it('names topic and partition in errors', async () => {
    const store = new MemoryStorage({ topic: 'clicks-table', partition: 2 });
    await expect(store.set('k', null as unknown as Buffer)).rejects.toThrow(
      'storage of topic "clicks-table" partition 2: cannot write a null value for key "k"; values are Buffers',
    );
    await store.close();
    const error: unknown = await store.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageClosedError);
    expect(error).toMatchObject({ topic: 'clicks-table', partition: 2 });
  });

  it('tracks size, recovered and closed', async () => {
    const store = new MemoryStorage();
    expect([store.size, store.recovered, store.closed]).toEqual([0, false, false]);
    await store.write([{ type: 'put', key: 'a', value: Buffer.alloc(0) }], 0);
    await store.markRecovered();
    expect([store.size, store.recovered]).toEqual([1, true]);
    await store.close();
    expect(store.closed).toBe(true);
  });

  it('keys with lone surrogates are stored as their UTF-8 bytes (U+FFFD), like RocksDB', async () => {
    const store = new MemoryStorage();
    await store.set('\ud800', Buffer.from('1'));
    expect(await store.get('\udc00')).toEqual(Buffer.from('1'));
    expect(await store.get('\uFFFD')).toEqual(Buffer.from('1'));
    const keys: string[] = [];
    for await (const [key] of store.iterator()) keys.push(key);
    expect(keys).toEqual(['\uFFFD']);
  });

  it('rejects non-string keys', async () => {
    const store = new MemoryStorage();
    await expect(store.get(1 as unknown as string)).rejects.toThrow(StorageError);
    await expect(store.getMany(['a', undefined as unknown as string])).rejects.toThrow('keys are strings, got undefined');
  });

  it('re-sorts lazily after inserts and deletes only', async () => {
    const store = new MemoryStorage();
    const keys = async (): Promise<string[]> => {
      const out: string[] = [];
      for await (const [key] of store.iterator()) out.push(key);
      return out;
    };
    await store.set('b', Buffer.from('1'));
    await store.set('a', Buffer.from('1'));
    expect(await keys()).toEqual(['a', 'b']);
    await store.set('a', Buffer.from('2'));
    expect(await keys()).toEqual(['a', 'b']);
    await store.delete('a');
    await store.set('c', Buffer.from('3'));
    expect(await keys()).toEqual(['b', 'c']);
  });
});
