import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { TableDecodeError, TableError } from '../errors/table-error.js';
import { contents, fixture, produce, recordStates, TOPIC } from '../test-support/partition-table-fixture.js';

describe('PartitionTable errors', () => {
  it('an undecodable value stops recovery naming topic, partition, offset and key; its batch is not written', async () => {
    const f = fixture();
    const records: Array<[string, string]> = Array.from({ length: 10_005 }, (_, i) => [`k${i}`, String(i)]);
    records[10_002] = ['bad-key', 'not a number'];
    produce(f.kafka, records);
    const table = f.table({ decoder: codecs.int64 });
    const error = await table.recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableDecodeError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, offset: 10_002, key: 'bad-key', operation: 'decode' });
    expect((error as Error).cause).toBeInstanceOf(CodecError);
    expect((error as Error).message).toContain(`table "${TOPIC}" partition 0: cannot decode the value at offset 10002 key "bad-key"`);
    expect((error as Error).message).toContain('offsets 10000..10004, was written');
    // The first fetched batch (offsets 0..9999) was written, nothing of the second.
    expect(await f.store.getOffset()).toBe(9_999);
    expect(await f.store.has('k10000')).toBe(false);
    expect(f.store.size).toBe(10_000);
    expect(f.store.recovered).toBe(false);
  });

  it('a storage write failure names topic, partition and the batch offsets', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    f.store.writeFault = new Error('disk full');
    const error = await f.table().recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ operation: 'write', offset: 0, lastOffset: 1, retriable: false });
    expect((error as Error).message).toBe(`table "${TOPIC}" partition 0: write failed at offsets 0..1: disk full`);
  });

  it('a storage that cannot be opened fails setup', async () => {
    const f = fixture();
    const table = f.table({
      storage: async () => {
        throw new Error('locked');
      },
    });
    await expect(table.recover()).rejects.toMatchObject({ operation: 'open', message: expect.stringContaining('open failed: locked') });
    expect(table.state).toBe('stopped');
  });

  it('a read failure names the offset it read from and is retriable', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    f.reader.failures.push(new Error('connection reset'));
    const error = await f.table().recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ operation: 'read', offset: 0, retriable: true });
    expect((error as Error).message).toBe(`table "${TOPIC}" partition 0: read failed at offset 0: connection reset`);
  });

  it('an offsets failure is a retriable TableError', async () => {
    const f = fixture();
    const admin = {
      offsets: async () => {
        throw new Error('broker down');
      },
    };
    await expect(f.table({ admin }).recover()).rejects.toMatchObject({ operation: 'offsets', retriable: true });
  });
});

describe('PartitionTable retry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('with retry, a read failure goes back to connecting, then recovers from the stored offset', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1']]);
    const table = f.table();
    const states = recordStates(table);
    const controller = new AbortController();
    const catchingUp = table.catchUp(controller.signal, { retry: true });
    await table.states.waitFor('running');
    f.reader.failures.push(new Error('connection reset'));
    produce(f.kafka, [['b', '2']]);
    await f.store.waitForOffset(1);
    expect(await contents(f.store)).toEqual({ a: '1', b: '2' });
    expect(f.reader.starts).toEqual([0, 1]);
    expect(states).toEqual([
      'stopped', 'initializing', 'connecting', 'recovering', 'preparing', 'running',
      'connecting', 'recovering', 'running',
    ]);
    expect(f.lines.some((line) => /^warn .*error while starting up: .*connection reset; will retry in 0 seconds \(retried 1 times so far\)/.test(line))).toBe(true);
    controller.abort();
    await catchingUp;
    await table.close();
  });

  it('waits with backoff between retries and stops waiting on abort', async () => {
    vi.useFakeTimers();
    const f = fixture();
    let failing = true;
    let calls = 0;
    const admin = {
      offsets: async () => {
        calls += 1;
        if (failing) throw new Error('broker down');
        return [{ oldest: 0, hwm: 0 }];
      },
    };
    const table = f.table({ admin, backoff: { step: 1_000, max: 5_000 } });
    const controller = new AbortController();
    const catchingUp = table.catchUp(controller.signal, { retry: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2); // the first retry waits 0 ms
    expect(table.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(3);
    failing = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(4);
    expect(table.state).toBe('running');
    controller.abort();
    await catchingUp;
    await table.close();
  });

  it('does not retry a decode error', async () => {
    const f = fixture();
    produce(f.kafka, [['a', 'x']]);
    const table = f.table({ decoder: codecs.int64 });
    await expect(table.catchUp(undefined, { retry: true })).rejects.toBeInstanceOf(TableDecodeError);
    await table.close();
  });
});
