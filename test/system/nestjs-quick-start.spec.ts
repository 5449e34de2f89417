import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GOKA_MODULE_OPTIONS } from '@goka/nestjs';
import type { GokaModuleOptions } from '@goka/nestjs';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers } from '../support/kafka.js';

/**
 * The quick start of packages/nestjs/README.md and of the root README (readme.spec.ts checks both
 * blocks are this file, byte for byte), its module run on the real broker: only the module options
 * are overridden (the broker list of the run, no logs). Its names are fixed (`clicks`, group
 * `clicks`), so each run counts a user of its own.
 */
// The quick start is a complete main.ts: keep its bootstrap() from creating and listening an app
// (test/system/install.spec.ts runs it as written, in an app of its own).
vi.mock('@nestjs/core', async (importOriginal) => {
  const app = { enableShutdownHooks: () => app, listen: async () => undefined };
  return { ...(await importOriginal<object>()), NestFactory: { create: async () => app } };
});

const example = fileURLToPath(new URL('../../packages/nestjs/src/test-support/quick-start.example.ts', import.meta.url));

describe('NestJS quick start on a real broker', () => {
  const brokers = systemBrokers();
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('counts clicks posted over HTTP (injected emitter) and serves them over HTTP (injected view)', async () => {
    // The quick start creates the topic "clicks" when it is missing (a second run finds it there).
    const { AppModule } = (await import(/* @vite-ignore */ example)) as { AppModule: Type };
    const options: GokaModuleOptions = { brokers, logger: false, topics: { create: true, partitions: 3 }, waitForRecovery: { timeoutMs: 90_000 } };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(GOKA_MODULE_OPTIONS)
      .useValue(options)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableShutdownHooks();
    await app.init(); // waitForRecovery: the processor recovered and the view runs
    const server = app.getHttpServer();

    const user = `alice-${randomUUID().slice(0, 8)}`;
    await request(server).get(`/clicks/${user}`).expect(200, { user, clicks: 0 });
    await request(server).post(`/clicks/${user}`).expect(201);
    await request(server).post(`/clicks/${user}`).expect(201);
    await request(server).post(`/clicks/${user}`).expect(201);
    await eventually(async () => {
      const response = await request(server).get(`/clicks/${user}`).expect(200);
      expect(response.body).toEqual({ user, clicks: 3 });
    });
  });
});
