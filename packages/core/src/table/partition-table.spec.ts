import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { TableDecodeError, TableError, TableGoneError } from '../errors/table-error.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { PartitionReader, ReadBatch } from '../kafka/partition-reader.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { StorageOp } from '../storage/storage.js';
import type { GokaLogger } from '../util/logger.js';
import type { PartitionState } from './partition-state.js';
import { PartitionTable } from './partition-table.js';
import type { PartitionTableOptions } from './partition-table.js';
import type { UpdateContext } from './update-callback.js';

const TOPIC = 'clicks-table';
const b = (text: string): Buffer => Buffer.from(text, 'utf8');

function produce(kafka: MemoryKafka, records: ReadonlyArray<readonly [string, string | null]>, partition = 0): void {
  kafka.produce(
    records.map(([key, value]) => ({ topic: TOPIC, partition, key: b(key), value: value === null ? null : b(value) })),
  );
}

/**
 * A memory store that counts batch writes, lets a test await an applied offset, and keeps its
 * contents on close (like an on-disk store that a later table reopens).
 */
class TestStorage extends MemoryStorage {
  writes = 0;
  closes = 0;
  writeFault: Error | undefined;
  #waiters: Array<{ offset: number; resolve: () => void }> = [];

  override async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    this.writes += 1;
    if (this.writeFault !== undefined) throw this.writeFault;
    await super.write(ops, offset);
    await this.#notify();
  }

  override async setOffset(offset: number): Promise<void> {
    await super.setOffset(offset);
    await this.#notify();
  }

  override async close(): Promise<void> {
    this.closes += 1;
  }

  /** Resolves once the stored offset is at least `offset`. */
  async waitForOffset(offset: number): Promise<void> {
    const stored = await this.getOffset();
    if (stored !== undefined && stored >= offset) return;
    await new Promise<void>((resolve) => this.#waiters.push({ offset, resolve }));
  }

  async #notify(): Promise<void> {
    const stored = (await this.getOffset()) ?? -1;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.offset > stored) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** Wraps a reader: records where reads start and how many records it handed out; can fail on demand. */
class SpyReader implements Pick<PartitionReader, 'read'> {
  readonly starts: number[] = [];
  records = 0;
  /** Thrown, one per batch, instead of the next batches. */
  readonly failures: Error[] = [];

  constructor(private readonly inner: PartitionReader) {}

  async *read(topic: string, partition: number, from: number, signal: AbortSignal): AsyncIterable<ReadBatch> {
    this.starts.push(from);
    for await (const batch of this.inner.read(topic, partition, from, signal)) {
      const failure = this.failures.shift();
      if (failure !== undefined) throw failure;
      this.records += batch.messages.length;
      yield batch;
    }
  }
}

function captureLogger(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  return { logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

interface Fixture {
  kafka: MemoryKafka;
  store: TestStorage;
  reader: SpyReader;
  lines: string[];
  table: (options?: Partial<PartitionTableOptions>) => PartitionTable;
}

function fixture(partitions = 1): Fixture {
  const kafka = new MemoryKafka();
  kafka.createTopic(TOPIC, { partitions, config: { 'cleanup.policy': 'compact' } });
  const store = new TestStorage({ topic: TOPIC, partition: 0 });
  const reader = new SpyReader(kafka.createReader());
  const { logger, lines } = captureLogger();
  const table = (options: Partial<PartitionTableOptions> = {}): PartitionTable =>
    new PartitionTable({
      topic: TOPIC,
      partition: 0,
      admin: kafka.createAdmin(),
      reader,
      storage: async () => store,
      logger,
      ...options,
    });
  return { kafka, store, reader, lines, table };
}

function recordStates(table: PartitionTable): PartitionState[] {
  const states: PartitionState[] = [table.state];
  table.states.observe((state) => states.push(state));
  return states;
}

async function contents(store: MemoryStorage): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for await (const [key, value] of store.iterator()) entries[key] = value.toString('utf8');
  return entries;
}

describe('PartitionTable recovery', () => {
  it('recovers puts and tombstones in large batches, then marks the store recovered', async () => {
    const f = fixture();
    const expected = new Map<string, string>();
    const records: Array<[string, string | null]> = [];
    for (let i = 0; i < 25_000; i++) {
      const key = `k${i % 3_000}`;
      const value = i % 7 === 0 ? null : `v${i}`;
      records.push([key, value]);
      if (value === null) expected.delete(key);
      else expected.set(key, value);
    }
    produce(f.kafka, records);
    const table = f.table();
    const states = recordStates(table);
    await table.recover();

    expect(states).toEqual(['stopped', 'initializing', 'connecting', 'recovering', 'preparing', 'running']);
    expect(f.store.writes).toBeLessThanOrEqual(3);
    expect(f.store.writes).toBeGreaterThan(0);
    expect(await contents(f.store)).toEqual(Object.fromEntries(expected));
    expect(await f.store.getOffset()).toBe(24_999);
    expect(f.store.recovered).toBe(true);
    expect(table.recovered).toBe(true);
    expect(f.reader.starts).toEqual([0]);
    expect(f.reader.records).toBe(25_000);
  });

  it('nothing stored: reads from the oldest offset', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
    f.kafka.partitionLog(TOPIC, 0).deleteBefore(2);
    await f.table().recover();
    expect(f.reader.starts).toEqual([2]);
    expect(await contents(f.store)).toEqual({ c: '3', d: '4' });
  });

  it('stored offset: resumes at stored + 1', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
    await f.store.setOffset(1);
    await f.table().recover();
    expect(f.reader.starts).toEqual([2]);
    expect(f.reader.records).toBe(2);
    expect(await contents(f.store)).toEqual({ c: '3', d: '4' });
    expect(await f.store.getOffset()).toBe(3);
  });

  it('stored offset older than the oldest: reads from the oldest', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5']]);
    f.kafka.partitionLog(TOPIC, 0).deleteBefore(3);
    await f.store.setOffset(0);
    await f.table().recover();
    expect(f.reader.starts).toEqual([3]);
    expect(await contents(f.store)).toEqual({ d: '4', e: '5' });
  });

  it('stored offset at hwm - 1: running without reading', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    await f.store.setOffset(1);
    const table = f.table();
    const states = recordStates(table);
    await table.recover();
    expect(f.reader.starts).toEqual([]);
    expect(states).toEqual(['stopped', 'initializing', 'connecting', 'preparing', 'running']);
    expect(f.store.recovered).toBe(true);
    expect(f.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });

  it('empty topic and nothing stored: recovered at once', async () => {
    const f = fixture();
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(f.reader.starts).toEqual([]);
    expect(f.store.recovered).toBe(true);
  });

  it('stored offset at or past the hwm: warns (topic recreated?) and counts as recovered', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2']]);
    await f.store.setOffset(7);
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(f.reader.starts).toEqual([]);
    const warnings = f.lines.filter((line) => line.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('local offset 7 is not below the high-water mark 2');
    expect(warnings[0]).toContain('delete the local cache');
  });

  it('stored offset > 0 but the topic is empty: TableGoneError, store untouched', async () => {
    const f = fixture();
    await f.store.set('kept', b('x'));
    await f.store.setOffset(5);
    const table = f.table();
    const error = await table.recover().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableGoneError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, hwm: 0, storedOffset: 5, retriable: false });
    expect((error as Error).message).toMatch(/The table might be gone\. Try to delete your local cache!/);
    expect(await contents(f.store)).toEqual({ kept: 'x' });
    expect(f.store.recovered).toBe(false);
  });

  it('restart from a persisted store reads only the new records', async () => {
    const f = fixture();
    produce(
      f.kafka,
      Array.from({ length: 100 }, (_, i) => [`k${i}`, `v${i}`] as const),
    );
    const first = f.table();
    await first.recover();
    await first.close();
    expect(first.state).toBe('stopped');
    expect(f.reader.records).toBe(100);

    produce(f.kafka, [['k1', 'new'], ['late', 'x'], ['k2', null]]);
    f.reader.records = 0;
    const second = f.table();
    await second.recover();
    expect(f.reader.starts).toEqual([0, 100]);
    expect(f.reader.records).toBe(3);
    const stored = await contents(f.store);
    expect(stored['k1']).toBe('new');
    expect(stored['late']).toBe('x');
    expect(stored['k2']).toBeUndefined();
    expect(Object.keys(stored)).toHaveLength(100);
  });

  it('finishes across compaction gaps, also when the tail of the log was compacted away', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '1'], ['a', '2'], ['c', '1'], ['b', '2'], ['c', null]]);
    f.kafka.compact(TOPIC, { dropTombstones: true });
    // Offsets 2 (a) and 4 (b) remain; 5 (the tombstone of c) is gone: the hwm is 6, the last record 4.
    expect(f.kafka.offsets(TOPIC, 0)).toEqual({ oldest: 2, hwm: 6 });
    const table = f.table();
    await table.recover();
    expect(table.state).toBe('running');
    expect(await contents(f.store)).toEqual({ a: '2', b: '2' });
    expect(await f.store.getOffset()).toBe(4);
  });

  it('an empty batch that skipped offsets (control records) does not end recovery', async () => {
    const f = fixture();
    produce(f.kafka, [['a', '1'], ['b', '2'], ['skipped', 'x'], ['c', '3']]);
    const [first, second, , fourth] = f.kafka.read(TOPIC, 0);
    // A reader whose second fetch only found a control record at offset 2.
    const batches: ReadBatch[] = [
      { messages: [first, second].filter((m) => m !== undefined), nextOffset: 2, highWatermark: 4 },
      { messages: [], nextOffset: 3, highWatermark: 4 },
      { messages: fourth === undefined ? [] : [fourth], nextOffset: 4, highWatermark: 4 },
    ];
    const reader = {
      async *read(): AsyncIterable<ReadBatch> {
        yield* batches;
      },
    };
    const table = f.table({ reader });
    await table.recover();
    expect(await contents(f.store)).toEqual({ a: '1', b: '2', c: '3' });
    expect(await f.store.getOffset()).toBe(3);
  });

  it('a record without key is stored under the empty key (as in Goka)', async () => {
    const f = fixture();
    f.kafka.produce([{ topic: TOPIC, partition: 0, key: null as unknown as Buffer, value: b('v') }]);
    await f.table().recover();
    expect(await contents(f.store)).toEqual({ '': 'v' });
  });
});

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

describe('PartitionTable stats', () => {
  it('counts records, bytes, writes and records the recovery', async () => {
    const f = fixture();
    produce(f.kafka, [['ab', '123'], ['c', null]]);
    const table = f.table();
    expect(table.stats()).toMatchObject({ state: 'stopped', records: 0, offset: undefined, hwm: undefined });
    await table.recover();
    const stats = table.stats();
    expect(stats).toMatchObject({
      topic: TOPIC,
      partition: 0,
      state: 'running',
      offset: 1,
      hwm: 2,
      lag: 0,
      records: 2,
      bytes: 2 + 3 + 1,
      writes: 1,
      recovery: { storedOffset: undefined, startOffset: 0, hwm: 2 },
    });
    expect(stats.recovery.startTime).toBeTypeOf('number');
    expect(stats.recovery.endTime).toBeGreaterThanOrEqual(stats.recovery.startTime as number);
    expect(stats.lastRecordAt).toBeTypeOf('number');
  });
});
