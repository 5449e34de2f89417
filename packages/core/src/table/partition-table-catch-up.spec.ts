import { describe, expect, it } from 'vitest';
import { TableError } from '../errors/table-error.js';
import { b, contents, fixture, produce, TOPIC } from '../test-support/partition-table-fixture.js';
import type { UpdateContext } from './update-callback.js';

describe('PartitionTable catch-up', () => {
  it('keeps applying new records after running, until stopped', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1']]);
    const table = f.table();
    const controller = new AbortController();
    const catchingUp = table.catchUp(controller.signal);
    await table.states.waitFor('running');
    produce(f.kafka, [['b', '2'], ['a', null]]);
    await f.store.waitForOffset(2);
    expect(await contents(f.store)).toEqual({ b: '2' });
    expect(table.state).toBe('running');
    controller.abort();
    await catchingUp;
    expect(table.state).toBe('running');
    await table.close();
    expect(table.state).toBe('stopped');
    expect(f.store.closes).toBe(1);
  });

  it('close ends a running catch-up', async () => {
    const f = fixture();
    const table = f.table();
    const catchingUp = table.catchUp();
    await table.states.waitFor('running');
    await table.close();
    await catchingUp;
    expect(table.isOpen).toBe(false);
    expect(() => table.storage).toThrow(TableError);
  });

  it('rejects a second load while one runs', async () => {
    const f = fixture();
    const table = f.table();
    const catchingUp = table.catchUp();
    await expect(table.recover()).rejects.toMatchObject({ operation: 'load' });
    await table.close();
    await catchingUp;
  });
});

describe('PartitionTable update callback', () => {
  it('applies every record through the callback with its context, then stores the offset', async () => {
    const f = fixture();
    f.kafka.produce([
      { topic: TOPIC, partition: 0, key: b('a'), value: b('1'), headers: { h: b('x') }, timestamp: 1234 },
      { topic: TOPIC, partition: 0, key: b('b'), value: null, timestamp: 5678 },
    ]);
    const seen: Array<[UpdateContext, string, string | null]> = [];
    const table = f.table({
      updateCallback: async (context, storage, key, value) => {
        seen.push([context, key, value === null ? null : value.toString()]);
        if (value !== null) await storage.set(key, Buffer.concat([value, b('!')]));
      },
    });
    await table.recover();
    expect(seen).toEqual([
      [{ topic: TOPIC, partition: 0, offset: 0, headers: { h: b('x') }, timestamp: 1234 }, 'a', '1'],
      [{ topic: TOPIC, partition: 0, offset: 1, headers: {}, timestamp: 5678 }, 'b', null],
    ]);
    expect(await contents(f.store)).toEqual({ a: '1!' });
    expect(await f.store.getOffset()).toBe(1);
    expect(table.stats()).toMatchObject({ records: 2, offset: 1 });
  });

  it('a throwing callback stops the table with an error naming the offset', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    const table = f.table({
      updateCallback: (context) => {
        if (context.offset === 1) throw new Error('callback bug');
      },
    });
    const error = await table.recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ operation: 'update', offset: 1, topic: TOPIC, partition: 0, retriable: false });
    expect((error as Error).message).toBe(`table "${TOPIC}" partition 0: update failed at offset 1: callback bug`);
    expect(await f.store.getOffset()).toBeUndefined();
  });
});
