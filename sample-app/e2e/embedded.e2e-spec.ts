import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { checkClicks, checkMessaging, sampleAppPerSuite } from './harness.js';

describe('sample app on the embedded in-memory Kafka', () => {
  const sample = sampleAppPerSuite();
  const { config, server } = sample;

  it('reports the embedded mode and readiness', async () => {
    const response = await request(server()).get('/').expect(200);
    expect(response.body).toMatchObject({ app: 'goka-nestjs sample', ready: true, kafka: { mode: 'embedded', partitions: 4 } });
  });

  it('counts clicks per user and keeps the counts over a restart', { timeout: 60_000 }, async () => {
    const alice = await checkClicks(server());
    await sample.restart(); // same data folder: journal replayed, tables recovered, offsets restored
    const response = await request(server()).get(`/clicks/${alice}`).expect(200);
    expect(response.body.clicks).toBe(2); // not counted twice: the processor resumes from its committed offsets
    await request(server()).post(`/clicks/${alice}`).expect(202);
    await expect
      .poll(async () => (await request(server()).get(`/clicks/${alice}`)).body.clicks, { timeout: 20_000, interval: 50 })
      .toBe(3);
  });

  it('sends, filters, translates, collects, blocks and detects messages', { timeout: 90_000 }, async () => {
    await checkMessaging(server(), config);
  });
});
