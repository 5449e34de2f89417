import { describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProducedOffset } from '../kafka/message.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { nextTurns, setup, TOPIC } from '../test-support/emitter-fixture.js';

describe('Emitter: wire format', () => {
  it('encodes int64 as decimal ASCII like Goka', async () => {
    const { memory, emitter } = setup({ codec: codecs.int64, partitions: 1 });
    await Promise.all([emitter.emit('a', 42), emitter.emit('b', -7)]);
    const [first, second] = memory.read(TOPIC, 0);
    expect(first?.value).toEqual(Buffer.from([0x34, 0x32]));
    expect(second?.value).toEqual(Buffer.from([0x2d, 0x37]));
    expect(first?.key).toEqual(Buffer.from('a'));
  });

  it('puts each key on its FNV-1a partition and resolves with topic, partition and offset', async () => {
    const { memory, emitter } = setup({ partitions: 8 });
    const some = await emitter.emit('some-key', 'x');
    const user = await emitter.emit('user-0', 'y');
    expect(some).toEqual({ topic: TOPIC, partition: 3, offset: 0 });
    expect(user).toEqual({ topic: TOPIC, partition: 1, offset: 0 });
    expect(memory.read(TOPIC, 3).map((m) => m.value?.toString())).toEqual(['x']);
    expect(memory.read(TOPIC, 1).map((m) => m.key?.toString())).toEqual(['user-0']);
    for (let i = 0; i < 50; i++) {
      const key = `k${i}`;
      expect((await emitter.emit(key, 'v')).partition).toBe(partitionFor(key, 8));
    }
  });

  it('uses a plugged hasher', async () => {
    const { emitter } = setup({ partitions: 5, hasher: (key) => key.length });
    expect((await emitter.emit('abcdefg', 'v')).partition).toBe(2);
  });

  it('writes a tombstone for null (without calling the codec) and an empty value for ""', async () => {
    const encode = vi.fn((value: string) => Buffer.from(value));
    const { memory, emitter } = setup({ partitions: 1, codec: { name: 'spy', encode, decode: (b) => b.toString() } });
    await emitter.emit('gone', null);
    await emitter.emit('empty', '');
    const [tombstone, empty] = memory.read(TOPIC, 0);
    expect(tombstone?.value).toBeNull();
    expect(empty?.value).toEqual(Buffer.alloc(0));
    expect(encode).toHaveBeenCalledTimes(1);
  });

  it('merges default headers with per-emit headers (per-emit win) and sends none when both are empty', async () => {
    const defaultHeaders = { source: Buffer.from('api'), trace: Buffer.from('default') };
    const { memory, kafka, emitter } = setup({ partitions: 1, defaultHeaders });
    const given = { trace: Buffer.from('t-1'), user: Buffer.from('u') };
    const done = emitter.emit('a', '1', { headers: given });
    given.user = Buffer.from('changed after emit');
    await done;
    await emitter.emit('b', '2');
    await emitter.emit('c', '3', { headers: {} });
    const [a, b, c] = memory.read(TOPIC, 0);
    expect(a?.headers).toEqual({ source: Buffer.from('api'), trace: Buffer.from('t-1'), user: Buffer.from('u') });
    expect(b?.headers).toEqual(defaultHeaders);
    expect(c?.headers).toEqual(defaultHeaders);
    expect(defaultHeaders.trace).toEqual(Buffer.from('default'));

    const bare = setup({ partitions: 1 });
    await bare.emitter.emit('x', '1');
    await bare.emitter.emit('y', '2', { headers: {} });
    expect(bare.kafka.sends.flat().map((record) => record.headers)).toEqual([undefined, undefined]);
    expect(kafka.sends.flat()).toHaveLength(3);
  });
});

describe('Emitter: batching and ordering', () => {
  it('sends all emits of one tick in one send, and later emits in another', async () => {
    const { kafka, emitter } = setup();
    const first = Array.from({ length: 100 }, (_, i) => emitter.emit(`key-${i}`, `v${i}`));
    await Promise.all(first);
    expect(kafka.sends.map((records) => records.length)).toEqual([100]);
    await emitter.emit('again', 'v');
    expect(kafka.sends.map((records) => records.length)).toEqual([100, 1]);
  });

  it('with lingerMs 0, emits separated by awaited microtasks still share one send', async () => {
    const { kafka, emitter } = setup();
    const results: Promise<ProducedOffset>[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(emitter.emit('k', `v${i}`));
      await Promise.resolve();
    }
    await Promise.all(results);
    expect(kafka.sends).toHaveLength(1);
  });

  it('sends a full batch at once and splits by maxBatchRecords and maxBatchBytes', async () => {
    const byCount = setup({ maxBatchRecords: 10, lingerMs: 60_000 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => byCount.emitter.emit(`k${i}`, 'v')));
    expect(byCount.kafka.sends.map((records) => records.length)).toEqual([10, 10, 5]);

    // key "kN" (2 bytes) + 8-byte value = 10 bytes a record; 35 bytes fit 3 records.
    const byBytes = setup({ maxBatchBytes: 35, lingerMs: 60_000 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => byBytes.emitter.emit(`k${i}`, '12345678')));
    expect(byBytes.kafka.sends.map((records) => records.length)).toEqual([3, 3, 1]);
  });

  it('keeps one send in flight; records emitted meanwhile go out together right after it', async () => {
    const { kafka, emitter } = setup({ lingerMs: 60_000 });
    const release = kafka.hold();
    const started = kafka.nextSend();
    const first = emitter.emitSync('k', 'first');
    await started;
    const more = [emitter.emit('k', 'second'), emitter.emitSync('k', 'third'), emitter.emit('j', 'x')];
    await nextTurns();
    expect(kafka.sends).toHaveLength(1);
    release();
    await Promise.all([first, ...more]);
    expect(kafka.sends.map((records) => records.map((r) => r.value?.toString()))).toEqual([
      ['first'],
      ['second', 'third', 'x'],
    ]);
    expect(kafka.maxInFlight).toBe(1);
  });

  it('writes the records of each key in emit order, with increasing offsets per partition', async () => {
    const { memory, kafka, emitter } = setup({ partitions: 3, maxBatchRecords: 7, codec: codecs.int64 });
    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const results: Promise<ProducedOffset>[] = [];
    for (let i = 0; i < 2_000; i++) {
      results.push(emitter.emit(keys[i % keys.length] as string, i));
      if (i % 97 === 0) await Promise.resolve();
      if (i % 331 === 0) await nextTurns(1);
    }
    const offsets = await Promise.all(results);
    expect(kafka.sends.length).toBeGreaterThan(100);
    expect(kafka.maxInFlight).toBe(1);

    const lastOffset = new Map<number, number>();
    for (const { partition, offset } of offsets) {
      expect(offset).toBeGreaterThan(lastOffset.get(partition) ?? -1);
      lastOffset.set(partition, offset);
    }
    for (let partition = 0; partition < 3; partition++) {
      const lastValue = new Map<string, number>();
      for (const message of memory.read(TOPIC, partition)) {
        const key = message.key?.toString() ?? '';
        const value = Number(message.value?.toString());
        expect(value).toBeGreaterThan(lastValue.get(key) ?? -1);
        lastValue.set(key, value);
      }
    }
    expect(offsets.length).toBe(2_000);
  });

  it('emitSync sends without waiting for the linger window, taking buffered records along', async () => {
    const { kafka, emitter } = setup({ lingerMs: 60_000 });
    const buffered = emitter.emit('a', '1');
    const offset = await emitter.emitSync('b', '2');
    await buffered;
    expect(offset.topic).toBe(TOPIC);
    expect(kafka.sends.map((records) => records.length)).toEqual([1 + 1]);
  });
});
