import { describe, expect, it } from 'vitest';
import { PartitionNotFoundError, PartitionReadError, TopicNotFoundError } from '@goka/core';
import type { ReadBatch } from '@goka/core/kafka';
import { kafkajsError, connectionRefused, retriesExceeded, TOPIC, setup, readValues, until } from '../test-support/fake-raw-cluster.js';

describe('KafkajsReader (on a fake kafkajs cluster)', () => {
  it('reads partitions led by different brokers, with their offsets', async () => {
    const { cluster, reader } = setup(['1', '2']);
    cluster.append(TOPIC, 0, 'a', 'b');
    cluster.append(TOPIC, 1, 'c');
    const [p0, p1] = await Promise.all([
      readValues(reader, 0, (v) => v.length >= 2),
      readValues(reader, 1, (v) => v.length >= 1),
    ]);
    expect([p0, p1]).toEqual([['a', 'b'], ['c']]);
    await reader.disconnect();
    expect(cluster.disconnected).toBe(true);
  });

  it('retries a broker that is down (kafkajs giving up around a connection error) and reads once it is back', async () => {
    const { cluster, reader } = setup(['1']);
    cluster.append(TOPIC, 0, 'before');
    const broker = cluster.broker('1');
    broker.failure = () => retriesExceeded(connectionRefused());
    const reading = readValues(reader, 0, (v) => v.length >= 2);
    await until(() => broker.fetches >= 3);
    expect(cluster.refreshes).toBeGreaterThanOrEqual(2); // metadata refreshed to find the broker again
    broker.failure = undefined;
    cluster.append(TOPIC, 0, 'after');
    expect(await reading).toEqual(['before', 'after']);
    await reader.disconnect();
  });

  it('gives up after retryTimeoutMs with a PartitionReadError naming topic, partition and offset', async () => {
    const { cluster, reader } = setup(['1'], { retryTimeoutMs: 150 });
    const failing = connectionRefused();
    cluster.broker('1').failure = () => failing;
    const started = Date.now();
    const error = await readValues(reader, 0, () => false, { from: 7 }).catch((reason: unknown) => reason);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(error).toBeInstanceOf(PartitionReadError);
    expect(error).toMatchObject({ topic: TOPIC, partition: 0, offset: 7, cause: failing });
    expect((error as Error).message).toContain('ECONNREFUSED');
    await reader.disconnect();
  });

  it('fails at once on an error that is not retriable', async () => {
    const { cluster, reader } = setup(['1']);
    const broker = cluster.broker('1');
    broker.failure = () => kafkajsError('KafkaJSNotImplemented', 'LZ4 compression not implemented', { retriable: false });
    const error = await readValues(reader, 0, () => false).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PartitionReadError);
    expect((error as Error).message).toContain('LZ4 compression not implemented');
    expect(broker.fetches).toBe(1);
    await reader.disconnect();
  });

  it('keeps fetching partitions of healthy brokers while another broker backs off', async () => {
    const { cluster, reader } = setup(['1', '2']);
    const down = cluster.broker('1');
    down.failure = () => connectionRefused();
    const failing = readValues(reader, 0, () => false).catch((reason: unknown) => reason);
    await until(() => down.fetches >= 1);
    // Twenty records, one at a time: each needs a fetch round of broker 2. The backoff of broker 1 runs
    // beside these rounds (a few fetches in total), not inside each of them.
    cluster.append(TOPIC, 1, 'r0');
    const values = await readValues(reader, 1, (v) => v.length >= 20, {
      onBatch: (v) => {
        if (v.length === cluster.log(TOPIC, 1).length) cluster.append(TOPIC, 1, `r${v.length}`);
      },
    });
    expect(values).toHaveLength(20);
    expect(down.fetches).toBeLessThan(20);
    await reader.disconnect();
    expect(await failing).toEqual([]); // ended quietly by disconnect
  });

  it('can be read again after a read failed (a table retrying after its reconnect backoff)', async () => {
    const { cluster, reader } = setup(['1'], { retryTimeoutMs: 50 });
    cluster.append(TOPIC, 0, 'a', 'b');
    cluster.broker('1').failure = () => connectionRefused();
    await expect(readValues(reader, 0, () => false)).rejects.toBeInstanceOf(PartitionReadError);
    cluster.broker('1').failure = undefined;
    expect(await readValues(reader, 0, (v) => v.length >= 1, { from: 1 })).toEqual(['b']);
    await reader.disconnect();
  });

  it('disconnect ends reads that wait in a backoff, without an error', async () => {
    const { cluster, reader } = setup(['1']);
    const broker = cluster.broker('1');
    broker.failure = () => connectionRefused();
    const reading = readValues(reader, 0, () => false);
    await until(() => broker.fetches >= 2);
    await reader.disconnect();
    expect(await reading).toEqual([]);
  });

  it('retries connecting and loading metadata before the first fetch', async () => {
    const { cluster, reader } = setup(['1']);
    cluster.append(TOPIC, 0, 'a');
    cluster.connectFailures.push(connectionRefused, () => retriesExceeded(connectionRefused()));
    cluster.metadataFailures.push(() => kafkajsError('KafkaJSProtocolError', 'leader not available', { type: 'LEADER_NOT_AVAILABLE' }));
    expect(await readValues(reader, 0, (v) => v.length >= 1)).toEqual(['a']);
    expect(cluster.connects).toBe(3);
    await reader.disconnect();
  });

  it('rejects with TopicNotFoundError and PartitionNotFoundError at once', async () => {
    const { cluster, reader } = setup(['1']);
    const signal = new AbortController().signal;
    const first = async (topic: string, partition: number) => {
      for await (const batch of reader.read(topic, partition, 0, signal)) return batch;
      return undefined;
    };
    await expect(first('missing', 0)).rejects.toBeInstanceOf(TopicNotFoundError);
    await expect(first(TOPIC, 5)).rejects.toBeInstanceOf(PartitionNotFoundError);
    expect(cluster.connects).toBe(1);
    await reader.disconnect();
  });

  it('moves an offset past the end back to the end, retrying the offset lookup when it fails', async () => {
    const { cluster, reader } = setup(['1']);
    cluster.append(TOPIC, 0, 'a', 'b');
    cluster.offsetsFailures.push(connectionRefused);
    const reading = readValues(reader, 0, (v) => v.length >= 1, { from: 10 });
    await until(() => cluster.broker('1').fetches >= 3);
    cluster.append(TOPIC, 0, 'c');
    expect(await reading).toEqual(['c']);
    await reader.disconnect();
  });

  it('does not report a partition caught up while its next batch is cut, even behind a batch without records', async () => {
    const { cluster, reader } = setup(['1', '1']);
    const broker = cluster.broker('1');
    broker.answerFrom = 2; // both partitions in one request
    cluster.appendControl(TOPIC, 0); // the first partition with bytes has no record to show
    const big = 'x'.repeat(100 * 1024); // more than a partition's share of 64 KiB
    cluster.append(TOPIC, 1, big);
    const control = new AbortController();
    const first = reader.read(TOPIC, 0, 0, control.signal)[Symbol.asyncIterator]().next();
    const batches: Array<{ offsets: number[]; nextOffset: number }> = [];
    for await (const batch of reader.read(TOPIC, 1, 0, new AbortController().signal)) {
      batches.push({ offsets: batch.messages.map((m) => m.offset), nextOffset: batch.nextOffset });
      if (batch.messages.length > 0 || batches.length > 2) break;
    }
    expect(batches).toEqual([{ offsets: [0], nextOffset: 1 }]);
    expect(broker.orders.some((order) => order.join() === '0,1')).toBe(true);
    control.abort();
    await first;
    await reader.disconnect();
  });

  it('reads a batch larger than its share while an earlier partition stays busy (rotation and grown share)', async () => {
    const { cluster, reader } = setup(['1', '1']);
    const broker = cluster.broker('1');
    broker.answerFrom = 2;
    const kilobyte = 'b'.repeat(1024);
    const fill = (): void => cluster.append(TOPIC, 0, ...Array.from({ length: 100 }, () => kilobyte));
    fill();
    cluster.append(TOPIC, 1, 'x'.repeat(200 * 1024));
    let bigRead = false;
    // Busy for 3,000 records (about 50 fetches), or until the large batch was read.
    const busy = readValues(reader, 0, (v) => bigRead || v.length >= 3000, { onBatch: fill });
    const values = await readValues(reader, 1, (v) => v.length >= 1);
    bigRead = true;
    cluster.append(TOPIC, 0, 'last'); // wakes the busy reader
    expect(values[0]).toHaveLength(200 * 1024);
    expect((await busy).length).toBeLessThan(3000); // read while the first partition was still busy
    const orders = new Set(broker.orders.filter((order) => order.length === 2).map((order) => order.join()));
    expect(orders).toEqual(new Set(['0,1', '1,0']));
    await reader.disconnect();
  });

  it('a failed partition backs off alone: the other partitions of its broker go on', async () => {
    const { cluster, reader } = setup(['1', '1']);
    const broker = cluster.broker('1');
    const failing = readValues(reader, 0, (v) => v.length >= 1);
    const reading = readValues(reader, 1, (v) => v.length >= 5, {
      onBatch: (v) => cluster.append(TOPIC, 1, `r${v.length}`),
    });
    await until(() => broker.orders.some((order) => order.length === 2)); // both in one request
    broker.partitionErrors.set(0, 6); // NOT_LEADER_OR_FOLLOWER: retriable
    cluster.append(TOPIC, 0, 'a');
    cluster.append(TOPIC, 1, 'r0');
    expect(await reading).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(cluster.refreshes).toBeGreaterThanOrEqual(1); // metadata refreshed for the failed partition
    broker.partitionErrors.delete(0);
    expect(await failing).toEqual(['a']);
    await reader.disconnect();
  });
});

describe('KafkajsReader memory bound', () => {
  it('fetches no partition ahead of its reader while the batches waiting or held over all partitions exceed maxBytes', async () => {
    const { cluster, reader } = setup(['1', '1'], { maxBytes: 1 });
    const broker = cluster.broker('1');
    cluster.append(TOPIC, 0, 'a0');
    cluster.append(TOPIC, 1, 'b0');
    const controller = new AbortController();
    const reads = [0, 1].map((partition) => reader.read(TOPIC, partition, 0, controller.signal)[Symbol.asyncIterator]());
    /** The next batch with records (a caught-up report is an empty batch). */
    const nextRecords = async (read: AsyncIterator<ReadBatch> | undefined): Promise<string[]> => {
      for (;;) {
        const next = await read?.next();
        if (next === undefined || next.done === true) return [];
        if (next.value.messages.length > 0) return next.value.messages.map((m) => m.value?.toString('utf8') ?? '');
      }
    };
    expect(await nextRecords(reads[0])).toEqual(['a0']);
    expect(await nextRecords(reads[1])).toEqual(['b0']);
    // Both readers hold their batch (a processor waiting for room in its budget, say): over the budget,
    // so neither partition is fetched ahead, whatever arrives.
    const requestsBefore = broker.orders.length;
    cluster.append(TOPIC, 0, 'a1');
    cluster.append(TOPIC, 1, 'b1');
    // Partition 0's reader hands its batch back and asks for the next: partition 0 is fetched again,
    // partition 1, whose reader still holds b0, is not.
    expect(await nextRecords(reads[0])).toEqual(['a1']);
    expect(broker.orders.slice(requestsBefore).filter((order) => order.includes(1))).toEqual([]);
    expect(broker.delivered.get(1)).toBe(1);
    // Once partition 1's reader is done with b0, it is fetched again.
    expect(await nextRecords(reads[1])).toEqual(['b1']);
    expect(broker.delivered.get(1)).toBe(2);
    controller.abort();
    await Promise.all(reads.map((read) => read.return?.()));
    await reader.disconnect();
  });
});
