import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, output, persist } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';
import { appended, started } from '../processor/processor.spec-support.js';
import { silentLogger } from '../util/logger.js';
import { parentOf, startTracing } from './tracing.spec-support.js';
import type { TestTracing } from './tracing.spec-support.js';

type Ctx = ProcessContext<number>;

let tracing: TestTracing;
beforeEach(() => {
  tracing = startTracing();
});
afterEach(() => tracing.stop());

function setup(): MemoryKafka {
  const kafka = new MemoryKafka();
  for (const topic of ['requests', 'counted']) kafka.createTopic(topic, { partitions: 2 });
  return kafka;
}

/** `requests` → counter (counts per key, emits the count to `counted`, after an await) → `counted` → audit. */
function pipeline(kafka: MemoryKafka) {
  const counter = defineGroup<Ctx>(
    'counter',
    input('requests', codecs.string, async (ctx: Ctx) => {
      tracing.tracer.startActiveSpan('user work', (span) => span.end());
      await new Promise((resolve) => setImmediate(resolve));
      const count = (ctx.value() ?? 0) + 1;
      ctx.setValue(count);
      ctx.emit('counted', ctx.key, String(count));
    }),
    output('counted', codecs.string),
    persist(codecs.int64),
  );
  const audit = defineGroup<Ctx>('audit', input('counted', codecs.string, () => undefined));
  return [new Processor(counter, { kafka, logger: silentLogger }), new Processor(audit, { kafka, logger: silentLogger })] as const;
}

describe('tracing (an OpenTelemetry SDK is registered)', () => {
  it('puts a request, its emit, both callbacks and the output between them in one trace with the right parents', async () => {
    const kafka = setup();
    const [counter, audit] = pipeline(kafka);
    const runs = [await started(counter), await started(audit)];
    const emitter = new Emitter('requests', codecs.string, { kafka, logger: silentLogger });
    const audited = appended(kafka, 'counted', 1);
    await tracing.tracer.startActiveSpan('GET /click', async (request) => {
      await emitter.emit('user-1', 'click');
      request.end();
    });
    const [record] = await audited;
    expect(record?.headers.traceparent?.toString()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await expect.poll(() => tracing.spans('process counted').length).toBe(1);
    await emitter.finish();
    for (const processor of [counter, audit]) processor.stop();
    await Promise.all(runs.map((run) => run.running));

    const request = tracing.span('GET /click');
    const send = tracing.span('send requests');
    const processRequest = tracing.span('process requests');
    const work = tracing.span('user work');
    const create = tracing.span('create counted');
    const processCounted = tracing.span('process counted');
    const traceId = request.spanContext().traceId;
    for (const span of [send, processRequest, work, create, processCounted]) expect(span.spanContext().traceId).toBe(traceId);
    expect(parentOf(send)).toBe(request.spanContext().spanId);
    expect(parentOf(processRequest)).toBe(send.spanContext().spanId);
    expect(parentOf(work)).toBe(processRequest.spanContext().spanId);
    expect(parentOf(create)).toBe(processRequest.spanContext().spanId);
    expect(parentOf(processCounted)).toBe(create.spanContext().spanId);
    // A table write carries the trace context of the callback that wrote it (no span of its own).
    expect(tracing.spans('create counter-table')).toEqual([]);
    const tableRecord = [0, 1].flatMap((partition) => kafka.read('counter-table', partition))[0];
    expect(tableRecord?.headers.traceparent?.toString()).toBe(`00-${traceId}-${processRequest.spanContext().spanId}-01`);

    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'requests',
      'messaging.operation.type': 'send',
      'messaging.kafka.message.key': 'user-1',
      'messaging.kafka.offset': 0,
    });
    expect(send.attributes['messaging.destination.partition.id']).toMatch(/^[01]$/);
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.attributes).toMatchObject({ 'messaging.operation.type': 'create', 'messaging.destination.name': 'counted' });
    expect(processRequest.kind).toBe(SpanKind.CONSUMER);
    expect(processRequest.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'requests',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'counter',
      'messaging.destination.partition.id': send.attributes['messaging.destination.partition.id'],
      'messaging.kafka.offset': 0,
      'messaging.kafka.message.key': 'user-1',
    });
    expect(processCounted.attributes['messaging.consumer.group.name']).toBe('audit');
    for (const span of [send, processRequest, processCounted]) expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps the headers given to an emit beside the trace context', async () => {
    const kafka = setup();
    const emitter = new Emitter('requests', codecs.string, { kafka, logger: silentLogger, defaultHeaders: { app: Buffer.from('a') } });
    await emitter.emit('k', 'v', { headers: { id: Buffer.from('7') } });
    await emitter.finish();
    const record = [0, 1].flatMap((partition) => kafka.read('requests', partition)).find((message) => message.key?.toString() === 'k');
    expect(Object.keys(record?.headers ?? {}).sort()).toEqual(['app', 'id', 'traceparent']);
    expect(record?.headers.id?.toString()).toBe('7');
  });

  it('records a failed emit on its send span', async () => {
    const kafka = new MemoryKafka();
    const emitter = new Emitter('missing', codecs.string, { kafka, logger: silentLogger, createTopic: false });
    await expect(emitter.emit('k', 'v')).rejects.toThrow();
    await emitter.finish();
    const send = tracing.span('send missing');
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(send.events.map((event) => event.name)).toContain('exception');
  });
});

describe('tracing an emitter transaction', () => {
  it('gives each record a send span, ended with its offset once the transaction committed', async () => {
    const kafka = setup();
    const emitter = new Emitter('requests', codecs.string, { kafka, logger: silentLogger });
    await tracing.tracer.startActiveSpan('batch job', async (job) => {
      await emitter.transaction((tx) => {
        tx.emit('a', '1');
        tx.emit('b', null);
      });
      job.end();
    });
    await emitter.finish();
    const job = tracing.span('batch job');
    const sends = tracing.spans('send requests');
    expect(sends.map((span) => span.attributes['messaging.kafka.message.key']).sort()).toEqual(['a', 'b']);
    for (const span of sends) {
      expect(parentOf(span)).toBe(job.spanContext().spanId);
      expect(typeof span.attributes['messaging.kafka.offset']).toBe('number');
    }
    expect(sends.find((span) => span.attributes['messaging.kafka.message.key'] === 'b')?.attributes['messaging.kafka.message.tombstone']).toBe(true);
    const records = [0, 1].flatMap((partition) => kafka.read('requests', partition));
    expect(records.filter((record) => record.headers.traceparent !== undefined)).toHaveLength(2);
  });
});
