import { readFile } from 'node:fs/promises';
import { MemoryKafka } from '@goka/core';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { GOKA_MODULE_OPTIONS } from '../goka.constants.js';
import type { GokaModuleOptions } from '../interfaces/goka-module-options.interface.js';
import { AppModule } from '../test-support/monitoring.example.js';

describe('README "Monitoring" example', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('is the code block of the root README\'s "Monitoring" section', async () => {
    const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('../test-support/monitoring.example.ts', import.meta.url), 'utf8');
    const section = readme.split(/^## /m).find((part) => part.startsWith('Monitoring\n'));
    expect(section).toBeDefined();
    expect(/```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1]).toBe(example);
  });

  it('mounts the monitor at /goka with the visitor as an action (on MemoryKafka via an options override)', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    const options: GokaModuleOptions = { kafka, logger: false, waitForRecovery: true };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(GOKA_MODULE_OPTIONS)
      .useValue(options)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const server = app.getHttpServer();
    const { body } = await request(server).get('/goka/api/overview').expect(200);
    expect(body).toMatchObject({ title: 'Clicks', ready: true, processors: [{ group: 'clicks', visitors: ['reset'] }] });
    expect((await request(server).get('/goka/api/actions').expect(200)).body).toMatchObject([{ name: 'clicks.reset' }]);
    expect((await request(server).get('/goka/metrics').expect(200)).text).toContain('goka_processor_ready{group="clicks"} 1');
    await request(server).get('/goka/api/health').expect(200);
    expect((await request(server).get('/goka').expect(200)).headers['content-type']).toMatch(/^text\/html/);
  });
});
