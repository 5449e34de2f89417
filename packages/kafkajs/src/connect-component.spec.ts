import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAIL_FAST_MS } from './test-support/fail-fast.js';
import { codecs, defineGroup, DeliveryTimeoutError, Emitter, input, KafkaConnectionError, Processor, silentLogger, View } from '@goka/core';

/** A local port nobody listens on (bound once by the OS, then released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const CONNECTION_TIMEOUT_MS = 400;

/** Runs `start` and returns its error and how long it took, ms. */
async function failure(start: () => Promise<unknown>): Promise<{ error: unknown; tookMs: number }> {
  const started = performance.now();
  const error = await start().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, tookMs: performance.now() - started };
}

/**
 * Core components given `brokers` load this package's adapter by themselves: their start-up against
 * brokers that do not answer fails with a KafkaConnectionError naming the component.
 */
describe('KafkaConnectionError at start-up against unreachable brokers', () => {
  // The components load this package with a dynamic import when they first connect: load it before
  // the timed starts, which are about the connection deadline, not about loading kafkajs.
  beforeAll(async () => {
    await import('@goka/kafkajs');
  });

  it('names the emitter topic, the brokers, the client and the cause, within the connection timeout', async () => {
    const broker = `127.0.0.1:${await unusedPort()}`;
    const emitter = new Emitter('clicks', codecs.string, {
      brokers: [broker],
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      logger: silentLogger,
    });
    const { error, tookMs } = await failure(() => emitter.start());
    expect(error).toBeInstanceOf(KafkaConnectionError);
    const connection = error as KafkaConnectionError;
    expect(connection).toMatchObject({ component: 'emitter for topic "clicks"', brokers: [broker], clientId: 'goka-emitter-clicks', retriable: true });
    expect(connection.message).toBe(
      `emitter for topic "clicks" cannot reach Kafka at ${broker} (client "goka-emitter-clicks"): ` +
        `no broker answered within ${CONNECTION_TIMEOUT_MS} ms (connectionTimeout): Connection error: connect ECONNREFUSED ${broker}`,
    );
    // kafkajs alone gave up after 6–10 s; a probe round may end just after the deadline.
    expect(tookMs).toBeGreaterThanOrEqual(CONNECTION_TIMEOUT_MS - 5);
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    await emitter.finish();
  });

  it('an emit keeps trying to connect until its delivery timeout, then names the connection error as cause', async () => {
    const broker = `127.0.0.1:${await unusedPort()}`;
    const emitter = new Emitter('clicks', codecs.string, {
      brokers: [broker],
      connectionTimeout: 100,
      deliveryTimeoutMs: 300,
      logger: silentLogger,
    });
    const error = await emitter.emit('k', 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryTimeoutError);
    expect((error as DeliveryTimeoutError).partition).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(KafkaConnectionError);
    expect((error as Error).message).toContain(`last error: emitter for topic "clicks" cannot reach Kafka at ${broker}`);
    await emitter.finish();
  });

  it('names the processor group', async () => {
    const broker = `127.0.0.1:${await unusedPort()}`;
    const graph = defineGroup('counter', input('clicks', codecs.string, () => undefined));
    const processor = new Processor(graph, { brokers: [broker], connectionTimeout: CONNECTION_TIMEOUT_MS, logger: silentLogger });
    const { error, tookMs } = await failure(() => processor.run());
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect((error as Error).message).toMatch(
      new RegExp(`^processor group "counter" cannot reach Kafka at ${broker} \\(client "goka-processor-counter"\\): no broker answered within ${CONNECTION_TIMEOUT_MS} ms .*ECONNREFUSED`),
    );
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
  });

  it('names the view table', async () => {
    const broker = `127.0.0.1:${await unusedPort()}`;
    const view = new View('counter-table', codecs.string, { brokers: [broker], connectionTimeout: CONNECTION_TIMEOUT_MS, logger: silentLogger });
    const { error, tookMs } = await failure(() => view.run());
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect((error as KafkaConnectionError).component).toBe('view of table "counter-table"');
    expect((error as Error).message).toMatch(/^view of table "counter-table" cannot reach Kafka at .*ECONNREFUSED/);
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
  });
});
