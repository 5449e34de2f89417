import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokersFromEnv } from '../src/config/sample-config.js';
import { checkClicks, checkMessaging, startApp, tempDataDir, testConfig } from './harness.js';

/**
 * The sample app against a real broker: `KAFKA_BROKERS`, else 127.0.0.1:9092 (`pnpm kafka up`;
 * `bash scripts/test.sh` starts one), and the schema registry at `SCHEMA_REGISTRY_URL` when set. Fails,
 * never skips, when no broker answers.
 */
const brokers = kafkaBrokersFromEnv().length > 0 ? kafkaBrokersFromEnv() : ['127.0.0.1:9092'];

function answers(broker: string, timeoutMs = 3000): Promise<boolean> {
  const [host = '127.0.0.1', port = '9092'] = broker.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

describe('sample app on a real Kafka broker', () => {
  const dataDir = tempDataDir();
  // SCHEMA_REGISTRY_URL (the system tests' registry) when set, else the app's embedded one.
  const registryUrl = process.env['SCHEMA_REGISTRY_URL'];
  const config = testConfig(dataDir.path, { brokers, ...(registryUrl === undefined || registryUrl === '' ? {} : { schemaRegistryUrl: registryUrl }) });
  let app: INestApplication | undefined;

  beforeAll(async () => {
    const reachable = await Promise.all(brokers.map((broker) => answers(broker)));
    if (!reachable.some(Boolean)) {
      throw new Error(`no Kafka broker answers at ${brokers.join(',')}: start one with \`pnpm kafka up\``);
    }
    app = await startApp(config);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    dataDir.remove();
  }, 60_000);

  function server(): ReturnType<INestApplication['getHttpServer']> {
    if (app === undefined) throw new Error('the app did not start');
    return app.getHttpServer();
  }

  it('reports the brokers mode', async () => {
    const response = await request(server()).get('/').expect(200);
    expect(response.body).toMatchObject({ ready: true, kafka: { mode: 'brokers', brokers } });
  });

  it('counts clicks per user and keeps the counts over a restart', { timeout: 120_000 }, async () => {
    const alice = await checkClicks(server());
    await app?.close();
    app = undefined;
    app = await startApp(config);
    expect((await request(server()).get(`/clicks/${alice}`).expect(200)).body.clicks).toBe(2);
    await request(server()).post(`/clicks/${alice}`).expect(202);
    await expect
      .poll(async () => (await request(server()).get(`/clicks/${alice}`)).body.clicks, { timeout: 30_000, interval: 100 })
      .toBe(3);
  });

  it('sends, filters, translates, collects, blocks and detects messages', { timeout: 120_000 }, async () => {
    await checkMessaging(server(), config);
  });
});
