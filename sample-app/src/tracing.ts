import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** An Express middleware: the request's handler runs in its SERVER span. */
export type RequestTracer = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * `OTEL_TRACES_EXPORTER=console`: registers an OpenTelemetry tracer provider that prints each span to
 * the console, before the app (and Goka) start — Goka traces through whatever provider is registered,
 * nothing Goka-specific. Returns the middleware that opens each HTTP request's span (what
 * @opentelemetry/instrumentation-http does in an app that uses it), or `undefined` when tracing is off.
 */
export function startTracing(env: NodeJS.ProcessEnv, exporter: SpanExporter = new ConsoleSpanExporter()): RequestTracer | undefined {
  if (env['OTEL_TRACES_EXPORTER'] !== 'console') return undefined;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  const tracer = trace.getTracer('sample-app');
  return (req, res, next) => {
    tracer.startActiveSpan(`${req.method ?? 'GET'} ${req.url ?? '/'}`, { kind: SpanKind.SERVER }, (span) => {
      res.on('finish', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end();
      });
      next();
    });
  };
}
