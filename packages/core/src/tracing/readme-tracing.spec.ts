// The example of the README section "Tracing (OpenTelemetry)" (keep the two in sync).
import { codecs, defineGroup, Emitter, input, MemoryKafka, output, Processor } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, it } from 'vitest';

// The application's OpenTelemetry set-up (NodeSDK of @opentelemetry/sdk-node registers the same three);
// Goka needs nothing more. An app exports to OTLP or the console; this example keeps the spans in memory.
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const shop = defineGroup<ProcessContext>(
  'shop',
  input('orders', codecs.string, (ctx, order: string) => {
    trace.getActiveSpan()?.setAttribute('shop.order', order); // the callback's span: "process orders"
    ctx.emit('shipments', ctx.key, order); // its record carries the trace on to the next processor
  }),
  output('shipments', codecs.string),
);

it('traces a request through the emit, the callback and its output', async () => {
  const kafka = new MemoryKafka({ createTopics: true });
  const processor = new Processor(shop, { kafka });
  const running = processor.run();
  await processor.waitForReady();
  const emitter = new Emitter('orders', codecs.string, { kafka });
  await trace.getTracer('shop').startActiveSpan('POST /orders', async (request) => {
    await emitter.emit('alice', 'book'); // "send orders", a child of the request
    request.end();
  });
  await kafka.idle();
  processor.stop();
  await Promise.all([running, emitter.finish()]);

  const spans = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
  expect([...spans.keys()].sort()).toEqual(['POST /orders', 'commit', 'create shipments', 'process orders', 'send orders']);
  const parent = (name: string) => spans.get(name)?.parentSpanContext?.spanId;
  const id = (name: string) => spans.get(name)?.spanContext().spanId;
  expect(parent('send orders')).toBe(id('POST /orders'));
  expect(parent('process orders')).toBe(id('send orders'));
  expect(parent('create shipments')).toBe(id('process orders'));
  expect(parent('commit')).toBeUndefined(); // the offset commit settles many traces' messages: a root span
  expect(spans.get('process orders')?.attributes).toMatchObject({
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.consumer.group.name': 'shop',
    'messaging.kafka.message.key': 'alice',
    'shop.order': 'book',
  });
});

it('is the example the README shows under "Tracing (OpenTelemetry)"', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Tracing (OpenTelemetry)'));
  const start = section.indexOf('```ts\n') + 6;
  const source = await readFile(new URL(import.meta.url), 'utf8');
  const example = source.slice(source.indexOf('\n') + 1, source.indexOf("\nit('is the example the README shows"));
  expect(section.slice(start, section.indexOf('```\n', start)).trim()).toBe(example.trim());
});
