import { readFile } from 'node:fs/promises';
import { MemoryKafka } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GOKA_MODULE_OPTIONS } from './goka.constants.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';
import { AppModule } from './test-support/quick-start.example.js';
import { tableWatch } from './test-support/signals.util.js';

// The quick start is a complete main.ts: keep its bootstrap() from creating and listening an app.
vi.mock('@nestjs/core', async (importOriginal) =>
  (await import('./test-support/no-bootstrap.util.js')).withoutBootstrap(await importOriginal<object>()));

describe('README quick start', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('is the example this spec runs', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./test-support/quick-start.example.ts', import.meta.url), 'utf8');
    const firstBlock = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe(example);
  });

  it('is the code block of the root README\'s "Quick start (NestJS)" section too', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./test-support/quick-start.example.ts', import.meta.url), 'utf8');
    const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start (NestJS)\n'));
    expect(section).toBeDefined();
    const block = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1];
    expect(block).toBe(example);
  });

  it('counts clicks and serves them over HTTP (on MemoryKafka via an options override), creating the topic', async () => {
    const kafka = new MemoryKafka();
    const watch = tableWatch();
    const options: GokaModuleOptions = {
      kafka,
      logger: false,
      topics: { create: true, partitions: 3 },
      waitForRecovery: true,
      processorDefaults: { initialOffset: 'oldest' },
      viewDefaults: { updateCallback: watch.updateCallback },
    };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(GOKA_MODULE_OPTIONS)
      .useValue(options)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.enableShutdownHooks();
    await app.init();
    const server = app.getHttpServer();
    await request(server).post('/clicks/alice').expect(201);
    await request(server).post('/clicks/alice').expect(201);
    await watch.applied(2);
    await request(server).get('/clicks/alice').expect(200, { user: 'alice', clicks: 2 });
    expect(kafka.describeTopic('clicks')?.partitions).toEqual([0, 1, 2]);
  });
});
