import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { codecs, Emitter, silentLogger } from '@goka/core';
import type { KafkajsAdapterOptions } from '@goka/kafkajs';
import type { ISocketFactory } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { adapterFor, createTopics, readTopic } from './processor-harness.js';

/** Kafka's API key of Produce (the int16 after a request's int32 size). */
const PRODUCE = 0;

/**
 * Connections that lose one Produce acknowledgement on request: once {@link arm}ed, the next Produce
 * request goes to the broker (which writes it), and the connection is dropped when the answer
 * arrives, before the client sees it — a broker restart or a network cut between send and ack.
 */
class LostAck {
  armed = false;
  dropped = 0;

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket: Socket = connect({ host, port }, onConnect);
    let dropNextAnswer = false;
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (this.armed && Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === PRODUCE) {
        this.armed = false;
        dropNextAnswer = true;
      }
      return write(chunk, ...rest);
    }) as Socket['write'];
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && dropNextAnswer) {
        dropNextAnswer = false;
        this.dropped += 1;
        // As a reset connection does: kafkajs fails the requests in flight on the socket's error.
        socket.destroy(Object.assign(new Error('read ECONNRESET (dropped by the test)'), { code: 'ECONNRESET' }));
        return true;
      }
      return emit(event, ...args);
    }) as Socket['emit'];
    return socket;
  };

  arm(): void {
    this.armed = true;
  }
}

/**
 * The idempotent producer on the real broker (issue 15): a Produce whose acknowledgement is lost is
 * sent again — by the producer's own retries, or by the emitter's after the producer gave up — and
 * written once. Without idempotence the same fault writes the record twice (the control case).
 */
describe('idempotent producer on a real broker', () => {
  const brokers = systemBrokers();

  async function emitOnceThroughLostAck(options: Partial<KafkajsAdapterOptions>): Promise<{ values: string[]; dropped: number }> {
    const topic = uniqueName('idempotent');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const lost = new LostAck();
    const kafka = adapterFor(brokers, { socketFactory: lost.socketFactory, retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 200 }, ...options });
    const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger, retryBackoffMs: 50 });
    await emitter.emit('warm', 'up');
    lost.arm();
    await emitter.emit('key', 'once');
    await emitter.finish();
    const values = (await readTopic(brokers, topic)).map((record) => record.value?.toString('utf8') ?? '');
    return { values, dropped: lost.dropped };
  }

  it('a Produce retried by the producer after its acknowledgement was lost is written once', async () => {
    const { values, dropped } = await emitOnceThroughLostAck({});
    expect(dropped).toBe(1);
    expect(values).toEqual(['up', 'once']);
  });

  it('a Produce sent again by the emitter after the producer gave up is written once too', async () => {
    // No retries in the producer: its send fails, the emitter sends the same records again.
    const { values, dropped } = await emitOnceThroughLostAck({ retry: { retries: 0 } });
    expect(dropped).toBe(1);
    expect(values).toEqual(['up', 'once']);
  });

  it('with acks 1 the producer is not idempotent unless asked: the lost acknowledgement writes twice', async () => {
    const { values, dropped } = await emitOnceThroughLostAck({ acks: 1 });
    expect(dropped).toBe(1);
    expect(values).toEqual(['up', 'once', 'once']);
  });

  it('without idempotence the same lost acknowledgement writes the record twice (the fault is real)', async () => {
    const { values, dropped } = await emitOnceThroughLostAck({ idempotent: false });
    expect(dropped).toBe(1);
    expect(values).toEqual(['up', 'once', 'once']);
  });
});
