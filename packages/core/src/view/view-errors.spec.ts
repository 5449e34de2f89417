import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { CodecError } from '../errors/codec-error.js';
import { TableDecodeError, TableError, ViewNotRunningError } from '../errors/table-error.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { TABLE, captureLogger, fixture, nextState, persistentStorage } from '../test-support/view-fixture.js';
import type { ViewState } from './view-state.js';

describe('View errors', () => {
  it('an undecodable record stops the view naming topic, partition, offset and key; nothing of its batch is written', async () => {
    const f = fixture(2);
    const storage = persistentStorage();
    const bad = 'bad-key';
    const partition = partitionFor(bad, 2);
    f.emit([['ok-1', '1'], ['ok-2', '2'], ['ok-3', '3']]);
    f.emit([[bad, 'twelve']]);
    const before = f.memory.offsets(TABLE, partition).hwm - 1;
    const view = f.view<number>({ storage: storage.factory }, codecs.int64);
    const error = await view.run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableDecodeError);
    expect(error).toMatchObject({ topic: TABLE, partition, offset: before, key: bad });
    expect((error as Error).message).toContain(`table "${TABLE}" partition ${partition}: cannot decode the value at offset ${before} key "bad-key"`);
    expect((error as Error).cause).toBeInstanceOf(CodecError);
    // All records of that partition came in one fetched batch: none of them was written.
    const store = storage.store(partition);
    expect(store.size).toBe(0);
    expect(await store.getOffset()).toBeUndefined();
    expect(view.state).toBe('idle');
    expect(storage.closes()).toBe(2);
  });

  it('a storage that fails to close makes run reject with a TableError', async () => {
    const f = fixture(1);
    const view = f.view({
      storage: async (topic, partition) => {
        const store = new MemoryStorage({ topic, partition });
        store.close = async () => {
          throw new Error('flush failed');
        };
        return store;
      },
    });
    const running = view.run();
    await view.waitRunning();
    await view.stop();
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ operation: 'close', topic: TABLE, partition: 0 });
    expect(view.state).toBe('idle');
  });

  it('without autoReconnect a Kafka error ends run with a TableError', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const storage = persistentStorage();
    const view = f.view({ storage: storage.factory });
    const running = view.run();
    await view.waitRunning();
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TableError);
    expect(error).toMatchObject({ topic: TABLE, partition: partitionFor('a', 2), operation: 'read' });
    expect((error as Error).message).toContain('read failed at offset 1: connection reset');
    expect(view.state).toBe('idle');
    expect(storage.closes()).toBe(2);
  });

  it('reads after a failed run name its error (state and cause) until the view runs again', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const view = f.view();
    const running = view.run();
    await view.waitRunning();
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    const failure = await running.catch((caught: unknown) => caught);
    expect(view.lastError).toBe(failure);

    const error = await view.get('a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ViewNotRunningError);
    expect(error).toMatchObject({ table: TABLE, state: 'idle', cause: failure });
    expect((error as Error).message).toContain(`view "${TABLE}" (state idle)`);
    expect((error as Error).message).toContain('its last run failed with TableError:');
    expect((error as Error).message).toContain('read failed at offset 1: connection reset');
    await expect(view.has('a')).rejects.toMatchObject({ cause: failure });
    expect(() => view.iterator()).toThrow(/its last run failed with TableError/);

    // Running again clears it; a clean stop leaves nothing to report.
    const again = view.run();
    await view.waitRunning();
    expect(view.lastError).toBeUndefined();
    expect(await view.get('a')).toBe('2');
    await view.stop();
    await again;
    const stopped = await view.get('a').catch((caught: unknown) => caught);
    expect(stopped).toBeInstanceOf(ViewNotRunningError);
    expect((stopped as Error).message).not.toContain('last run failed');
    expect((stopped as Error).cause).toBeUndefined();
  });
});

describe('View auto-reconnect', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a failing read goes back to connecting while get keeps serving, then running again', async () => {
    const f = fixture(2);
    f.emit([['a', '1']]);
    const view = f.view({ autoReconnect: true });
    const running = view.run();
    await view.waitRunning();
    const states: ViewState[] = [];
    let servedWhileConnecting: Promise<string | undefined> | undefined;
    view.onStateChange((state) => {
      states.push(state);
      if (state === 'connecting') servedWhileConnecting ??= view.get('a');
    });
    const back = nextState(view, 'running');
    f.kafka.readFailures.push(new Error('connection reset'));
    f.emit([['a', '2']]);
    await back;
    expect(states).toEqual(['connecting', 'catching-up', 'running']);
    expect(await servedWhileConnecting).toBe('1');
    expect(await view.get('a')).toBe('2');
    await view.stop();
    await running;
  });

  it('retries with backoff during an outage, serving local data, and recovers new records afterwards', async () => {
    vi.useFakeTimers();
    const f = fixture(1);
    f.emit([['a', '1']]);
    const { logger, lines } = captureLogger();
    const view = f.view({ autoReconnect: true, backoff: { step: 5_000, max: 20_000 }, logger });
    const running = view.run();
    await view.waitRunning();

    const connecting = nextState(view, 'connecting');
    f.kafka.down = true;
    f.emit([['a', '2'], ['b', '1']]);
    await connecting;
    await vi.advanceTimersByTimeAsync(0); // the first retry waits 0 ms and fails again
    expect(view.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(view.state).toBe('connecting');
    expect(await view.get('a')).toBe('1');
    expect(await view.get('b')).toBeUndefined();

    f.kafka.down = false;
    const back = nextState(view, 'running');
    await vi.advanceTimersByTimeAsync(1);
    await back;
    expect(await view.get('a')).toBe('2');
    expect(await view.get('b')).toBe('1');
    const retries = lines.filter((line) => line.includes('will retry in'));
    expect(retries.map((line) => /will retry in (\d+) seconds/.exec(line)?.[1])).toEqual(['0', '5']);
    await view.stop();
    await running;
  });

  it('still ends run on a decode error', async () => {
    const f = fixture(1);
    f.emit([['a', 'x']]);
    const view = f.view<number>({ autoReconnect: true }, codecs.int64);
    await expect(view.run()).rejects.toBeInstanceOf(TableDecodeError);
  });
});
