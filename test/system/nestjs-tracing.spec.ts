import type { IncomingMessage, ServerResponse } from 'node:http';
import { codecs } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import { GokaModule, InjectEmitter, Input, Output, Persist, Processor } from '@goka/nestjs';
import { Controller, Module, Param, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { parentOf, startInMemoryTracing } from '../support/tracing.js';
import type { InMemoryTracing } from '../support/tracing.js';

/**
 * Tracing in a Nest app on the real broker, with nothing Goka-specific to set up: the test registers
 * an OpenTelemetry SDK (in-memory exporter) as an application does, and a middleware opens the SERVER
 * span of each HTTP request (what @opentelemetry/instrumentation-http does; that package is not used
 * here). POST /orders/:user emits to `orders` → the counter's callback emits the count to `counted`
 * → the audit's callback: one trace. The audit skips a poison record and its span says so.
 */
describe('NestJS tracing on a real broker', () => {
  const brokers = systemBrokers();
  let app: INestApplication | undefined;
  let tracing: InMemoryTracing | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await tracing?.stop();
    tracing = undefined;
  });

  it('puts an HTTP request, its emit, both processors and the record between them in one trace; a poison record\'s span carries the error and the skip', async () => {
    const otel = startInMemoryTracing();
    tracing = otel;
    const orders = uniqueName('trace-orders');
    const counted = uniqueName('trace-counted');
    const counterGroup = uniqueName('trace-counter');
    const auditGroup = uniqueName('trace-audit');

    @Processor(counterGroup, { initialOffset: 'oldest' })
    @Output(counted, codecs.string)
    @Persist(codecs.int64)
    class CounterProcessor {
      @Input(orders, codecs.string)
      async count(order: string, ctx: ProcessContext<number>): Promise<void> {
        // A span of the user's own, started in the callback: it nests under the process span.
        await otel.tracer.startActiveSpan('price order', async (span) => {
          await new Promise((resolve) => setImmediate(resolve));
          span.end();
        });
        const count = (ctx.value() ?? 0) + 1;
        ctx.setValue(count);
        ctx.emit(counted, ctx.key, order === 'poison' ? 'poison' : String(count));
      }
    }

    @Processor(auditGroup, { initialOffset: 'oldest', onError: 'skip' })
    class AuditProcessor {
      @Input(counted, codecs.string)
      audit(count: string): void {
        if (count === 'poison') throw new RangeError('cannot audit a poison order');
      }
    }

    @Controller('orders')
    class OrdersController {
      constructor(@InjectEmitter(orders) private readonly emitter: Emitter<string>) {}

      @Post(':user/:order')
      async order(@Param('user') user: string, @Param('order') order: string): Promise<void> {
        await this.emitter.emit(user, order);
      }
    }

    @Module({
      imports: [
        GokaModule.forRoot({ brokers, logger: false, topics: { create: true, partitions: 2 }, waitForRecovery: { timeoutMs: 90_000 } }),
        GokaModule.registerEmitter({ topic: orders, codec: codecs.string }),
      ],
      providers: [CounterProcessor, AuditProcessor],
      controllers: [OrdersController],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      otel.tracer.startActiveSpan(`${req.method ?? 'GET'} /orders/:user/:order`, { kind: SpanKind.SERVER }, (span) => {
        res.on('finish', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          span.end();
        });
        next();
      });
    });
    await app.init();
    const server = app.getHttpServer();

    await request(server).post('/orders/alice/book').expect(201);
    await eventually(() => expect(otel.spans(`process ${counted}`)).toHaveLength(1), { timeoutMs: 60_000 });

    const [http] = otel.spans('POST /orders/:user/:order');
    const [send] = otel.spans(`send ${orders}`);
    const [processOrder] = otel.spans(`process ${orders}`);
    const [price] = otel.spans('price order');
    const [create] = otel.spans(`create ${counted}`);
    const [processCount] = otel.spans(`process ${counted}`);
    if (!http || !send || !processOrder || !price || !create || !processCount) throw new Error('a span is missing');
    const traceId = http.spanContext().traceId;
    for (const span of [send, processOrder, price, create, processCount]) expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(http)).toBeUndefined();
    expect(parentOf(send)).toBe(http.spanContext().spanId);
    expect(parentOf(processOrder)).toBe(send.spanContext().spanId);
    expect(parentOf(price)).toBe(processOrder.spanContext().spanId);
    expect(parentOf(create)).toBe(processOrder.spanContext().spanId);
    expect(parentOf(processCount)).toBe(create.spanContext().spanId);

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': orders, 'messaging.operation.type': 'send', 'messaging.kafka.message.key': 'alice' });
    expect(typeof send.attributes['messaging.kafka.offset']).toBe('number');
    expect(processOrder.kind).toBe(SpanKind.CONSUMER);
    expect(processOrder.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': orders,
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': counterGroup,
      'messaging.destination.partition.id': send.attributes['messaging.destination.partition.id'],
      'messaging.kafka.offset': send.attributes['messaging.kafka.offset'],
      'messaging.kafka.message.key': 'alice',
    });
    expect(processCount.attributes).toMatchObject({ 'messaging.consumer.group.name': auditGroup, 'messaging.destination.name': counted });
    for (const span of [http, send, processOrder, create, processCount]) expect(span.status.code).toBe(SpanStatusCode.UNSET);

    // A poison order: the audit's callback throws, the skip policy commits past it.
    await request(server).post('/orders/bob/poison').expect(201);
    await eventually(() => expect(otel.spans(`process ${counted}`)).toHaveLength(2), { timeoutMs: 60_000 });
    const poisoned = otel.spans(`process ${counted}`).find((span) => span.attributes['messaging.kafka.message.key'] === 'bob');
    expect(poisoned?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cannot audit a poison order' });
    expect(poisoned?.attributes['goka.error.policy']).toBe('skip');
    expect(poisoned?.events.find((event) => event.name === 'exception')?.attributes?.['exception.type']).toBe('RangeError');
    const bobRequest = otel.spans('POST /orders/:user/:order')[1];
    expect(poisoned?.spanContext().traceId).toBe(bobRequest?.spanContext().traceId);
  });
});
