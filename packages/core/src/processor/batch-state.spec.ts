import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Storage } from '../storage/storage.js';
import { BatchState } from './batch-state.js';
import type { BatchHost, PendingWrite } from './batch-state.js';

function host(storage: Storage): BatchHost {
  return { overlay: new Map<string, PendingWrite>(), tableStorage: () => storage, joinStorages: () => [] };
}

const text = (value: Buffer | null): string | null => (value === null ? null : value.toString());

describe('BatchState', () => {
  it('sends every table record but stores each written key once, with its last value', async () => {
    const storage = new MemoryStorage();
    await storage.set('gone', Buffer.from('old'));
    const partition = host(storage);
    const batch = new BatchState(partition, 1);
    await batch.load(['a', 'b', 'gone']);
    for (const [key, value] of [['a', '1'], ['b', '1'], ['a', '2'], ['gone', null], ['a', '3']] as const) {
      batch.mark(key);
      batch.setTable('t', 0, key, value === null ? null : Buffer.from(value), undefined);
    }
    expect(batch.records.map((r) => [r.key.toString(), text(r.value)])).toEqual([
      ['a', '1'], ['b', '1'], ['a', '2'], ['gone', null], ['a', '3'],
    ]);
    expect(batch.tableRecords).toEqual([0, 1, 2, 3, 4]);
    expect(batch.storageOps().map((op) => [op.type, op.key, op.type === 'put' ? op.value.toString() : null])).toEqual([
      ['put', 'a', '3'], ['put', 'b', '1'], ['del', 'gone', null],
    ]);
    expect(text(partition.overlay.get('a')?.value ?? null)).toBe('3');
  });

  it('rolls back the failed message: its records, its storage op and its overlay entry', async () => {
    const partition = host(new MemoryStorage());
    const batch = new BatchState(partition, 1);
    await batch.load(['a', 'b']);
    batch.mark('a');
    batch.setTable('t', 0, 'a', Buffer.from('1'), undefined);
    batch.mark('a');
    batch.setTable('t', 0, 'a', Buffer.from('2'), undefined);
    batch.rollback();
    batch.mark('b');
    batch.setTable('t', 0, 'b', Buffer.from('x'), undefined);
    batch.produce('out', 1, 'b', Buffer.from('y'), undefined);
    batch.rollback();
    expect(batch.records.map((r) => r.key.toString())).toEqual(['a']);
    expect(batch.tableRecords).toEqual([0]);
    expect(batch.storageOps().map((op) => [op.key, op.type === 'put' ? op.value.toString() : null])).toEqual([['a', '1']]);
    expect(text(batch.tableValue('a'))).toBe('1');
    expect(batch.tableValue('b')).toBeNull();
    expect(partition.overlay.has('b')).toBe(false);
  });

  it('reuses the input key bytes for the records of the current key only', async () => {
    const batch = new BatchState(host(new MemoryStorage()), 1);
    const keyBytes = Buffer.from('k');
    batch.mark('k', keyBytes);
    batch.setTable('t', 0, 'k', Buffer.from('1'), undefined);
    batch.produce('out', 0, 'other', Buffer.from('2'), undefined);
    expect(batch.records[0]?.key).toBe(keyBytes);
    expect(batch.records[1]?.key.toString()).toBe('other');
  });

  it('keeps a later batch\'s overlay entry on release and restores its earlier value on rollback', async () => {
    const partition = host(new MemoryStorage());
    const first = new BatchState(partition, 1);
    await first.load(['a']);
    first.mark('a');
    first.setTable('t', 0, 'a', Buffer.from('1'), undefined);
    const second = new BatchState(partition, 2);
    await second.load(['a']);
    expect(text(second.tableValue('a'))).toBe('1');
    second.mark('a');
    second.setTable('t', 0, 'a', Buffer.from('2'), undefined);
    second.mark('a');
    second.setTable('t', 0, 'a', Buffer.from('3'), undefined);
    second.rollback();
    expect(text(partition.overlay.get('a')?.value ?? null)).toBe('2');
    expect(text(second.tableValue('a'))).toBe('2');
    first.release();
    expect(text(partition.overlay.get('a')?.value ?? null)).toBe('2');
    second.release();
    expect(partition.overlay.has('a')).toBe(false);
    const third = new BatchState(partition, 3);
    await third.load(['b']);
    third.mark('b');
    third.setTable('t', 0, 'b', Buffer.from('x'), undefined);
    third.rollback();
    expect(partition.overlay.has('b')).toBe(false);
    expect(third.storageOps()).toEqual([]);
    expect(third.hasTableWrites).toBe(false);
  });
});
