import { codecs, Emitter, ProduceFailedError, silentLogger } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';
import { duplicates, emitThroughOutage, valueCounts } from './emitter-outage-harness.js';
import { createTopics, recordingLogger } from './processor-harness.js';

/** The suite's own broker: stopped and restarted on the same data, so never the shared one. */
const PORT = 19692;
const PARTITIONS = 4;
/** The broker is down this long (the scenario's length, not a wait for something to happen). */
const OUTAGE_MS = 30_000;

/**
 * The emitter rides out a broker restart that keeps its data (issue 14): while an emitter sends
 * 1,000 msgs/s, the broker stops (SIGTERM) for 30 s and comes back. No emit is rejected, every
 * emitted record is in the topic exactly once (the idempotent producer keeps the send in flight at the
 * stop from being written twice). Also: a record over the broker's size limit is named
 * in the error (key and size), not the send's first record.
 */
describe('Emitter through a broker outage', () => {
  const broker = ownBroker(PORT);

  it('a 30 s outage at 1,000 msgs/s: zero emits rejected, every record in the topic exactly once', async () => {
    const topic = uniqueName('emitter-outage');
    await createTopics(broker().brokers, [{ topic, partitions: PARTITIONS }]);
    const { logger, warnings, infos } = recordingLogger();
    // Default options: deliveryTimeoutMs 120 s, the kafkajs adapter's default timeouts and retries.
    const emitter = new Emitter(topic, codecs.string, { brokers: broker().brokers, logger });
    const { outcome, unacknowledgedAtExit, emittedDuringOutage: duringOutage } = await emitThroughOutage(broker(), emitter, OUTAGE_MS);

    expect(duringOutage).toBeGreaterThan(20_000);
    expect([...outcome.rejected.values()].slice(0, 3)).toEqual([]);
    expect(outcome.resolved.size).toBe(outcome.emitted.length);
    expect(warnings.some((line) => line.includes('retrying'))).toBe(true);
    expect(infos.some((line) => line.includes('sending works again'))).toBe(true);

    // Nothing lost: every emitted record is in the topic.
    const counts = await valueCounts(broker().brokers, topic);
    expect(outcome.emitted.filter((value) => !counts.has(value))).toEqual([]);
    expect(counts.size).toBe(outcome.emitted.length);
    // Exactly once: a SIGTERM'd broker stops answering before its request handlers finish, so the
    // send in flight at that moment is written without an acknowledgement; the idempotent producer
    // (the default) sends it again with its sequence numbers and the broker keeps one copy. (Without
    // idempotence the same outage wrote that send twice: 8 records in one run, 2 in another.)
    const doubled = duplicates(counts);
    console.log(
      `[emitter-outage] emitted ${outcome.emitted.length}, during the outage ${duringOutage}, written twice ${doubled.length}, ` +
        `unacknowledged at the stop ${unacknowledgedAtExit.size}`,
    );
    expect(doubled).toEqual([]);
  }, 240_000);

  it('a record over the broker max.message.bytes fails naming its key and size, not the send first record', async () => {
    const topic = uniqueName('emitter-too-large');
    await createTopics(broker().brokers, [{ topic, partitions: 1 }]);
    const emitter = new Emitter(topic, codecs.string, { brokers: broker().brokers, logger: silentLogger });
    await emitter.start();
    // One send, one partition batch: the broker refuses the whole batch (MESSAGE_TOO_LARGE).
    const results = await Promise.allSettled([
      emitter.emit('a', 'small'),
      emitter.emit('big', 'x'.repeat(2 * 1024 * 1024)),
      emitter.emit('b', 'small'),
    ]);
    const error = (results[1] as PromiseRejectedResult).reason as ProduceFailedError;
    expect(error).toBeInstanceOf(ProduceFailedError);
    expect(error).toMatchObject({ topic, partition: 0, key: 'big', recordBytes: 2 * 1024 * 1024 + 3, retriable: false });
    expect(error.message).toMatch(new RegExp(`^producing the record with key "big" \\(2097155 bytes\\) to topic "${topic}" partition 0 failed: `));
    await emitter.finish();
  }, 60_000);
});
