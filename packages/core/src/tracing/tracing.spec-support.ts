import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

// What the tracing specs share (not part of the build: see tsconfig.build.json).

/** An OpenTelemetry SDK registered globally, as an application does, exporting to memory. */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  readonly tracer: Tracer;
  /** The finished spans named `name`. */
  spans(name: string): ReadableSpan[];
  /** The one finished span named `name`. */
  span(name: string): ReadableSpan;
  /** Unregisters everything (the API's globals outlive a test). */
  stop(): Promise<void>;
}

/** `sampler`: the provider's (default: the SDK's, parent-based always-on). */
export function startTracing(sampler?: Sampler): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], ...(sampler === undefined ? {} : { sampler }) });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const spans = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
  return {
    exporter,
    tracer: trace.getTracer('test'),
    spans,
    span(name) {
      const found = spans(name);
      if (found.length !== 1) throw new Error(`${found.length} spans named "${name}": ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
      return found[0] as ReadableSpan;
    },
    async stop() {
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

/** The id of the span `span`'s parent (`undefined` for a root span). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
