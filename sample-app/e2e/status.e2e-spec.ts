import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { kafkaBrokersFromEnv } from '../src/status.controller.js';

describe('sample app', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers over HTTP with the Kafka mode it runs in', async () => {
    const response = await request(app.getHttpServer()).get('/').expect(200);
    expect(response.body.app).toBe('goka-nestjs sample');
    expect(['embedded', 'brokers']).toContain(response.body.kafka.mode);
  });

  it('reads KAFKA_BROKERS as a comma-separated list', () => {
    expect(kafkaBrokersFromEnv({ KAFKA_BROKERS: ' 127.0.0.1:9092, 127.0.0.1:9093 ,' })).toEqual([
      '127.0.0.1:9092',
      '127.0.0.1:9093',
    ]);
    expect(kafkaBrokersFromEnv({})).toEqual([]);
  });
});
