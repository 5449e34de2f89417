import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import kafkajs from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAIL_FAST_MS } from './test-support/fail-fast.js';
import { codecs, Emitter, KafkaAuthenticationError, KafkaTlsError, silentLogger } from '@goka/core';
import { connectBounded } from './kafkajs-connect.js';
import type { RawCluster } from './kafkajs-internals.js';
import { connectSecurity } from './kafkajs-security-errors.js';

/** kafkajs' error classes as its runtime defines them (its type declarations leave out some arguments). */
type KafkajsErrorClass = new (error: Error | string, options?: Record<string, unknown>) => Error;
const kafkajsError = (name: string): KafkajsErrorClass => (kafkajs as unknown as Record<string, KafkajsErrorClass>)[name] as KafkajsErrorClass;
const KafkaJSConnectionError = kafkajsError('KafkaJSConnectionError');
const KafkaJSNonRetriableError = kafkajsError('KafkaJSNonRetriableError');
const KafkaJSNumberOfRetriesExceeded = kafkajsError('KafkaJSNumberOfRetriesExceeded');
const KafkaJSSASLAuthenticationError = kafkajsError('KafkaJSSASLAuthenticationError');

/** A probe cluster whose every connect fails with `failure()`; counts the attempts. */
function failingProbe(failure: () => Error): { probe: () => RawCluster; attempts: () => number } {
  let attempts = 0;
  const cluster = {
    connect: () => {
      attempts += 1;
      return Promise.reject(failure());
    },
    disconnect: () => Promise.resolve(),
  } as unknown as RawCluster;
  return { probe: () => cluster, attempts: () => attempts };
}

const settings = { brokers: ['127.0.0.1:9094'], clientId: 'c', timeoutMs: 400 };
const saslSsl = connectSecurity({ ca: ['pem'] }, { mechanism: 'plain', username: 'goka', password: 'wrong' });

async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; tookMs: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, tookMs: performance.now() - started };
}

describe('connectBounded: SASL and TLS failures', () => {
  it('a refused SASL authentication fails after one attempt (no retries) as KafkaAuthenticationError', async () => {
    const refused = failingProbe(() => {
      const sasl = new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
      return new KafkaJSNonRetriableError(sasl, { cause: sasl });
    });
    const { error } = await rejection(connectBounded({ ...settings, probe: refused.probe, security: saslSsl }, () => Promise.resolve()));
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(error).toMatchObject({ mechanism: 'PLAIN', username: 'goka', retriable: false });
    // One attempt, no retry and no backoff: it fails at once.
    expect(refused.attempts()).toBe(1);
  });

  it('a rejected broker certificate fails after one attempt as KafkaTlsError', async () => {
    const untrusted = failingProbe(() => {
      const tls = new KafkaJSConnectionError('Connection error: self-signed certificate in certificate chain', {
        broker: '127.0.0.1:9094',
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      });
      return new KafkaJSNumberOfRetriesExceeded(tls, { retryCount: 0, retryTime: 100 });
    });
    const { error } = await rejection(connectBounded({ ...settings, probe: untrusted.probe, security: saslSsl }, () => Promise.resolve()));
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'certificate', tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN', retriable: false });
    expect(untrusted.attempts()).toBe(1);
  });
});

/** A local server that treats every connection as `handle` does; closed after the test. */
async function server(handle: (peer: Socket) => void): Promise<{ broker: string; close: () => Promise<void> }> {
  const listener = createServer((peer) => {
    peer.on('error', () => {});
    handle(peer);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  return { broker: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => listener.close(() => resolve())) };
}

const CONNECTION_TIMEOUT_MS = 300;

describe('an emitter whose TLS setting does not match the port', () => {
  // The emitter loads this package with a dynamic import when it first connects: load it before the timed starts.
  beforeAll(async () => {
    await import('@goka/kafkajs');
  });

  it('with TLS against a plaintext port (which drops the client hello) fails with KafkaTlsError (handshake)', async () => {
    // A PLAINTEXT Kafka listener reads the TLS client hello as an oversized request and closes the socket.
    const plaintext = await server((peer) => peer.once('data', () => peer.destroy()));
    const emitter = new Emitter('clicks', codecs.string, {
      brokers: [plaintext.broker],
      ssl: true,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      logger: silentLogger,
    });
    const { error, tookMs } = await rejection(emitter.start());
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'handshake', component: 'emitter for topic "clicks"', brokers: [plaintext.broker] });
    expect((error as Error).message).toContain('TLS problem: the connection closed before the TLS handshake completed');
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    await emitter.finish();
    await plaintext.close();
  });

  it('without TLS against a TLS port (which closes the connection) fails with KafkaTlsError (without-tls), not a hang', async () => {
    // A TLS listener cannot read a plaintext request as a handshake and closes the connection.
    const tlsPort = await server((peer) => peer.once('data', () => peer.end()));
    const emitter = new Emitter('clicks', codecs.string, {
      brokers: [tlsPort.broker],
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      logger: silentLogger,
    });
    const { error, tookMs } = await rejection(emitter.start());
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'without-tls', component: 'emitter for topic "clicks"' });
    expect((error as Error).message).toContain('probably a TLS problem');
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    await emitter.finish();
    await tlsPort.close();
  });
});
