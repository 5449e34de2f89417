import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Counts the spans it is handed and drops them: the SDK's whole cost but an exporter's I/O. */
class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

/**
 * Registers an OpenTelemetry SDK as an application does (tracer provider with a BatchSpanProcessor,
 * AsyncLocalStorage context manager, W3C propagator), for the traced phases. `sampleRatio` is the share
 * of new traces recorded (parent-based, as the SDK's default sampler; 1 records every one). The returned
 * function unregisters it and resolves with the number of spans exported.
 */
export function startBenchTracing(sampleRatio = 1): () => Promise<number> {
  const exporter = new CountingExporter();
  const root = sampleRatio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(sampleRatio);
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 4096 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<number> | undefined;
  const stop = async (): Promise<number> => {
    await provider.forceFlush();
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
    return exporter.spans;
  };
  // Idempotent: the phase stops it once it measured, and again (a no-op) in its clean-up.
  return () => (stopped ??= stop());
}
