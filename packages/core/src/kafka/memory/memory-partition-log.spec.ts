import { describe, expect, it } from 'vitest';
import { MemoryPartitionLog } from './memory-partition-log.js';

const record = (key: string | null, value: string | null) => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: 0,
});

const values = (log: MemoryPartitionLog) =>
  log.read(0, 100).map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null]);

describe('MemoryPartitionLog', () => {
  it('assigns consecutive offsets and moves the high-water mark', () => {
    const log = new MemoryPartitionLog('t', 0);
    expect(log.append(record('a', '1')).offset).toBe(0);
    expect(log.append(record('b', '2')).offset).toBe(1);
    expect(log.offsets()).toEqual({ oldest: 0, hwm: 2 });
    expect(log.read(1, 10).map((r) => r.offset)).toEqual([1]);
    expect(log.read(2, 10)).toEqual([]);
  });

  it('keeps null and empty values apart', () => {
    const log = new MemoryPartitionLog('t', 0);
    log.append(record('k', null));
    log.append({ ...record('k', null), value: Buffer.alloc(0) });
    const [tombstone, empty] = log.read(0, 10);
    expect(tombstone?.value).toBeNull();
    expect(empty?.value).toEqual(Buffer.alloc(0));
  });

  it('compacts to the newest record per key, keeping offsets and tombstones', () => {
    const log = new MemoryPartitionLog('t', 0);
    log.append(record('a', '1'));
    log.append(record('b', '1'));
    log.append(record('a', '2'));
    log.append(record('b', null));
    log.append(record(null, 'x'));
    log.compact();
    expect(values(log)).toEqual([
      [2, 'a', '2'],
      [3, 'b', null],
      [4, null, 'x'],
    ]);
    expect(log.offsets()).toEqual({ oldest: 2, hwm: 5 });
    log.compact({ dropTombstones: true });
    expect(values(log)).toEqual([
      [2, 'a', '2'],
      [4, null, 'x'],
    ]);
  });

  it('reads from the oldest offset when asked for one that was deleted away', () => {
    const log = new MemoryPartitionLog('t', 0);
    for (let i = 0; i < 5; i++) log.append(record(`k${i}`, `${i}`));
    log.deleteBefore(3);
    expect(log.offsets()).toEqual({ oldest: 3, hwm: 5 });
    expect(log.read(0, 10).map((r) => r.offset)).toEqual([3, 4]);
  });

  it('wakes a reader waiting for the next offset', async () => {
    const log = new MemoryPartitionLog('t', 0);
    const waiting = log.waitFor(0);
    log.append(record('a', '1'));
    await waiting;
    expect(log.offsets().hwm).toBe(1);
  });

  it('releases a waiting reader when its signal aborts', async () => {
    const log = new MemoryPartitionLog('t', 0);
    const controller = new AbortController();
    const waiting = log.waitFor(0, controller.signal);
    controller.abort();
    await waiting;
    expect(log.offsets().hwm).toBe(0);
  });
});
