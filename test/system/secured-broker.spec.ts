import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  codecs,
  defineGroup,
  Emitter,
  input,
  KafkaAuthenticationError,
  KafkaTlsError,
  persist,
  Processor,
  silentLogger,
  tableName,
  View,
} from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import type { KafkajsAdapterOptions } from '@goka/kafkajs';
import { generateTestCa, kafkajsSasl } from '@goka/scripts';
import type { SaslMechanismName } from '@goka/scripts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { uniqueName } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';

/** The suite's own secured broker (19592 belongs to the benchmarks); its controller listens on 19993. */
const PORT = 19992;
const MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
/** The requirement: a wrong password fails start-up in under 5 s (measured: about 0.4 s). */
const FAIL_FAST_MS = 5000;

/** Runs `start` and returns how it rejected and how long that took (it must reject). */
async function failure(start: () => Promise<unknown>): Promise<{ error: Error; tookMs: number }> {
  const started = performance.now();
  const error = await start().then(
    () => new Error('started although it should have failed'),
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
  return { error, tookMs: performance.now() - started };
}

/**
 * Issue #15 part 4: Goka's processor, view and emitter on a broker whose only client listener is SASL_SSL
 * (`pnpm kafka up --security sasl_ssl`: PLAIN and SCRAM-SHA-256/512 users, a throw-away CA generated at
 * start), with kafkajs' `ssl` and `sasl` options. Wrong passwords, a wrong CA and a client without TLS fail
 * start-up with typed errors, fast.
 */
describe('Goka on a SASL_SSL broker (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, TLS)', () => {
  const broker = ownBroker(PORT, 'sasl_ssl');
  let ca: Buffer;
  let wrongCa: Buffer;
  let caDir: string;
  const measured: string[] = [];

  /** Connection options of every component: the broker's CA and the test user over `mechanism`. */
  const secured = (mechanism: SaslMechanismName, password?: string): Pick<KafkajsAdapterOptions, 'brokers' | 'ssl' | 'sasl'> => {
    const access = broker().saslSsl;
    if (access === undefined) throw new Error('the broker was not started with security sasl_ssl');
    return { brokers: broker().brokers, ssl: { ca: [ca] }, sasl: kafkajsSasl({ ...access, password: password ?? access.password }, mechanism) };
  };

  beforeAll(async () => {
    const caFile = broker().caFile;
    if (caFile === undefined) throw new Error('the secured broker names no CA file');
    ca = await readFile(caFile);
    // Another throw-away CA: a client trusting only it must reject the broker's certificate.
    caDir = await mkdtemp(join(tmpdir(), 'goka-wrong-ca-'));
    wrongCa = await readFile((await generateTestCa(caDir, 'wrong-ca')).pemFile);
  }, 60_000);

  afterAll(async () => {
    if (caDir !== undefined) await rm(caDir, { recursive: true, force: true });
    if (measured.length > 0) console.log(`[secured-broker] ${measured.join('; ')}`);
  });

  it('names the SASL_SSL listener, the CA file and the test user of every mechanism', () => {
    expect(broker().security).toBe('sasl_ssl');
    expect(broker().brokers).toEqual([`127.0.0.1:${PORT}`]);
    expect(broker().saslSsl).toMatchObject({ protocol: 'sasl_ssl', username: 'goka', mechanisms: MECHANISMS });
    expect(ca.toString('utf8')).toContain('-----BEGIN CERTIFICATE-----');
  });

  it.each(MECHANISMS)('with SASL %s over TLS an emitter emits, a processor counts and a view serves the counts', async (mechanism) => {
    const options = secured(mechanism);
    const clicks = uniqueName('secured-clicks');
    const group = uniqueName('secured-counter');
    const admin = new KafkajsAdapter({ ...options, logger: silentLogger }).createAdmin();
    await admin.connect();
    await admin.createTopic({ topic: clicks, partitions: 2, replicationFactor: 1 });
    await admin.disconnect();

    const counter = defineGroup<ProcessContext<number>>(
      group,
      input(clicks, codecs.string, (ctx) => ctx.setValue((ctx.value() ?? 0) + 1)),
      persist(codecs.int64),
    );
    const processor = new Processor(counter, { ...options, initialOffset: 'oldest', commitIntervalMs: 100, logger: silentLogger });
    const processing = processor.run();
    await processor.waitForReady();

    const emitter = new Emitter(clicks, codecs.string, { ...options, logger: silentLogger });
    const emits = [
      ...Array.from({ length: 3 }, () => emitter.emit('alice', 'click')),
      ...Array.from({ length: 2 }, () => emitter.emit('bob', 'click')),
      emitter.emit('carol', 'click'),
    ];
    const acknowledged = await Promise.all(emits);
    expect(acknowledged.every((ack) => ack.topic === clicks && ack.offset >= 0)).toBe(true);
    await emitter.finish();

    const view = new View(tableName(group), codecs.int64, { ...options, logger: silentLogger });
    const serving = view.run();
    await view.waitRunning();
    await eventually(async () => {
      expect([await view.get('alice'), await view.get('bob'), await view.get('carol')]).toEqual([3, 2, 1]);
    });
    expect(await processor.get('alice')).toBe(3);

    await view.stop();
    await serving;
    await processor.stop();
    await processing;
  }, 120_000);

  it.each(MECHANISMS)(
    'a wrong %s password fails the start of processor, view and emitter at once with KafkaAuthenticationError',
    async (mechanism) => {
      const options = { ...secured(mechanism, 'not-the-password'), logger: silentLogger };
      const group = uniqueName('secured-denied');
      const counter = defineGroup<ProcessContext<number>>(group, input('clicks', codecs.string, () => {}), persist(codecs.int64));
      const starts: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
        [`processor group "${group}"`, () => new Processor(counter, options).run()],
        [`view of table "${tableName(group)}"`, () => new View(tableName(group), codecs.int64, options).run()],
        ['emitter for topic "clicks"', () => new Emitter('clicks', codecs.string, options).start()],
      ];
      for (const [component, start] of starts) {
        const { error, tookMs } = await failure(start);
        expect(error).toBeInstanceOf(KafkaAuthenticationError);
        expect(error).toMatchObject({ mechanism, username: 'goka', component, brokers: broker().brokers, retriable: false });
        expect(error.message).toContain(`${component} could not authenticate to Kafka at 127.0.0.1:${PORT}`);
        expect(error.message).toContain(`with SASL ${mechanism} as user "goka"`);
        expect(error.message).not.toContain('not-the-password');
        expect(tookMs).toBeLessThan(FAIL_FAST_MS);
        measured.push(`${mechanism} wrong password, ${component}: ${tookMs.toFixed(0)} ms`);
      }
      // An emit (which connects by itself) is not retried until its delivery timeout either.
      const emitter = new Emitter('clicks', codecs.string, options);
      const emitted = await failure(() => emitter.emit('alice', 'click'));
      await emitter.finish();
      expect(emitted.error).toBeInstanceOf(KafkaAuthenticationError);
      expect(emitted.tookMs).toBeLessThan(FAIL_FAST_MS);
    },
    60_000,
  );

  it('a client that trusts another CA rejects the broker certificate with KafkaTlsError, at once', async () => {
    const options = { ...secured('SCRAM-SHA-512'), ssl: { ca: [wrongCa] }, logger: silentLogger };
    const emitter = new Emitter('clicks', codecs.string, options);
    const { error, tookMs } = await failure(() => emitter.start());
    await emitter.finish();
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'certificate', tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN', retriable: false });
    expect(error.message).toContain(`emitter for topic "clicks" cannot connect to Kafka at 127.0.0.1:${PORT}`);
    expect(error.message).toContain("TLS problem: the broker's certificate was rejected");
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    measured.push(`wrong CA: ${tookMs.toFixed(0)} ms`);

    const view = new View('some-table', codecs.int64, options);
    const viewFailure = await failure(() => view.run());
    expect(viewFailure.error).toBeInstanceOf(KafkaTlsError);
    expect(viewFailure.error.message).toContain('view of table "some-table" cannot connect');
  });

  it('a client without TLS on the TLS port fails with KafkaTlsError, not a hang', async () => {
    const { ssl: _ssl, ...withoutTls } = secured('PLAIN');
    const emitter = new Emitter('clicks', codecs.string, { ...withoutTls, connectionTimeout: 1000, logger: silentLogger });
    const { error, tookMs } = await failure(() => emitter.start());
    await emitter.finish();
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'without-tls', component: 'emitter for topic "clicks"' });
    expect(error.message).toContain('probably a TLS problem');
    expect(error.message).toContain('set the ssl option');
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    measured.push(`no TLS on the TLS port: ${tookMs.toFixed(0)} ms (connectionTimeout 1000 ms)`);
  });

  it('a TLS client on a plaintext port (the controller listener) fails with KafkaTlsError (handshake)', async () => {
    const plaintextPort = `127.0.0.1:${PORT + 1}`;
    const emitter = new Emitter('clicks', codecs.string, {
      ...secured('PLAIN'),
      brokers: [plaintextPort],
      connectionTimeout: 1000,
      logger: silentLogger,
    });
    const { error, tookMs } = await failure(() => emitter.start());
    await emitter.finish();
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'handshake', brokers: [plaintextPort] });
    expect(error.message).toContain('TLS problem: the connection closed before the TLS handshake completed');
    expect(tookMs).toBeLessThan(FAIL_FAST_MS);
    measured.push(`TLS on a plaintext port: ${tookMs.toFixed(0)} ms (connectionTimeout 1000 ms)`);
  });
});
