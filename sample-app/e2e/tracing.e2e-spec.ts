import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { SAMPLE_CONFIG } from '../src/config/sample-config.js';
import { Groups, Topics } from '../src/kafka/topics.js';
import { startTracing } from '../src/tracing.js';
import { tempDataDir, testConfig } from './harness.js';

describe('sample app with OTEL_TRACES_EXPORTER=console (embedded Kafka)', () => {
  const dataDir = tempDataDir();
  let app: INestApplication | undefined;
  afterAll(async () => {
    await app?.close();
    dataDir.remove();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('does not trace without the variable', () => {
    expect(startTracing({})).toBeUndefined();
  });

  it('traces a click from the HTTP request through the emit to the processor, in one trace', async () => {
    const exporter = new InMemorySpanExporter(); // the app prints them with the console exporter
    const requestTracer = startTracing({ OTEL_TRACES_EXPORTER: 'console' }, exporter);
    if (requestTracer === undefined) throw new Error('tracing did not start');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(SAMPLE_CONFIG)
      .useValue(testConfig(dataDir.path))
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.use(requestTracer);
    await app.init();

    await request(app.getHttpServer()).post('/clicks/alice').expect(202);
    const named = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name);
    await expect.poll(() => named(`process ${Topics.clicks}`), { timeout: 10_000 }).toBeDefined();
    const http = named('POST /clicks/alice');
    const send = named(`send ${Topics.clicks}`);
    const processed = named(`process ${Topics.clicks}`);
    expect(send?.parentSpanContext?.spanId).toBe(http?.spanContext().spanId);
    expect(processed?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    expect(processed?.spanContext().traceId).toBe(http?.spanContext().traceId);
    expect(processed?.attributes['messaging.consumer.group.name']).toBe(Groups.clicks);
  });
});
