import { codecs, Emitter, silentLogger } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { readCommitted } from './exactly-once-harness.js';
import { adapterFor, createTopics, readTopic } from './processor-harness.js';

/** Issue 16: an emitter writes several records or none, in one Kafka transaction, on the real broker. */
describe('Emitter.transaction on the real broker', () => {
  it('writes both records of a transfer or neither; read_committed readers never see an abandoned one', async () => {
    const brokers = systemBrokers();
    const topic = uniqueName('emitter-tx');
    await createTopics(brokers, [{ topic, partitions: 3 }]);
    const emitter = new Emitter(topic, codecs.int64, { kafka: adapterFor(brokers), logger: silentLogger, transactionalId: uniqueName('bank') });
    await emitter.transaction((tx) => {
      tx.emit('alice', -5);
      tx.emit('bob', 5);
    });
    await expect(
      emitter.transaction(async (tx) => {
        tx.emit('alice', -7);
        throw new Error('insufficient funds');
      }),
    ).rejects.toThrow('insufficient funds');
    await emitter.transaction((tx) => {
      tx.emit('carol', -1);
      tx.emit('alice', 1);
    });
    await emitter.finish();

    const values = (records: Awaited<ReturnType<typeof readTopic>>) =>
      records.map((record) => `${record.key?.toString()}=${codecs.int64.decode(record.value ?? Buffer.alloc(0))}`).sort();
    expect(values(await readCommitted(brokers, topic))).toEqual(['alice=-5', 'alice=1', 'bob=5', 'carol=-1']);
    // The transaction markers take offsets; a plain reader sees the same records (nothing was aborted).
    expect(values(await readTopic(brokers, topic))).toEqual(['alice=-5', 'alice=1', 'bob=5', 'carol=-1']);
  });
});
