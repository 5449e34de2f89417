import { context, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * An OpenTelemetry SDK registered globally, as an application registers one (tracer provider,
 * AsyncLocalStorage context manager, W3C propagator), exporting to memory.
 */
export interface InMemoryTracing {
  readonly exporter: InMemorySpanExporter;
  readonly tracer: Tracer;
  /** The finished spans named `name`. */
  spans(name: string): ReadableSpan[];
  /** Unregisters it (the API's globals outlive a test). */
  stop(): Promise<void>;
}

export function startInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    tracer: trace.getTracer('test'),
    spans: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
    async stop() {
      trace.disable();
      propagation.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}

/** The id of `span`'s parent (`undefined` for a root span). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
