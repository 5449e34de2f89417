import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { Headers, ProducedOffset } from '../kafka/message.js';
import { headerSetter } from './header-carrier.js';
import * as attr from './messaging-attributes.js';
import { otelApi } from './otel-api.js';
import type { OtelApi } from './otel-api.js';

/** A record's producer span and its headers with the span's trace context added. */
export interface TracedSend {
  readonly span: Span;
  readonly headers: Headers;
}

/**
 * Starts the PRODUCER span of one record, a child of the active context (the caller's request, or
 * the processor callback's span), and returns `headers` (never mutated) plus `traceparent` and
 * `tracestate` as the registered propagator writes them. `operation` is `send` for a record sent
 * on its own (the emitter; the span ends at the acknowledgement) or `create` for a record sent
 * later in a batch (processor outputs; the span ends at once, as the conventions' creation context).
 */
export function startSend(
  tracer: Tracer,
  operation: 'send' | 'create',
  topic: string,
  key: string,
  tombstone: boolean,
  headers: Headers | undefined,
  partition?: number,
): TracedSend {
  const api = otelApi() as OtelApi;
  const attributes: Attributes = {
    [attr.MESSAGING_SYSTEM]: 'kafka',
    [attr.MESSAGING_DESTINATION_NAME]: topic,
    [attr.MESSAGING_OPERATION_NAME]: operation,
    [attr.MESSAGING_OPERATION_TYPE]: operation,
    [attr.MESSAGING_KAFKA_MESSAGE_KEY]: key,
  };
  if (tombstone) attributes[attr.MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  if (partition !== undefined) attributes[attr.MESSAGING_DESTINATION_PARTITION_ID] = String(partition);
  const parent = api.context.active();
  const span = tracer.startSpan(`${operation} ${topic}`, { kind: api.SpanKind.PRODUCER, attributes }, parent);
  const carrier: Record<string, Buffer> = headers === undefined ? {} : { ...headers };
  api.propagation.inject(api.trace.setSpan(parent, span), carrier, headerSetter);
  return { span, headers: carrier };
}

/** Ends a send span with where the broker wrote the record. */
export function sendAcknowledged(span: Span, offset: ProducedOffset): void {
  span.setAttributes({
    [attr.MESSAGING_DESTINATION_PARTITION_ID]: String(offset.partition),
    [attr.MESSAGING_KAFKA_OFFSET]: offset.offset,
  });
  span.end();
}

/** Records `error` on `span` (an exception event, `error.type`, status ERROR); does not end it. */
export function recordFailure(span: Span, error: unknown): void {
  const api = otelApi() as OtelApi;
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setAttribute(attr.ERROR_TYPE, exception.name);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: exception.message });
}

/** Ends each send span of a transaction once it committed (`offsets` in record order) or failed. */
export async function traceCommit(spans: readonly Span[], commit: Promise<readonly ProducedOffset[]>): Promise<void> {
  try {
    const offsets = await commit;
    spans.forEach((span, index) => {
      const offset = offsets[index];
      if (offset === undefined) span.end();
      else sendAcknowledged(span, offset);
    });
  } catch (error) {
    for (const span of spans) {
      recordFailure(span, error);
      span.end();
    }
    throw error;
  }
}

/** Settles an emit's span with its record: acknowledged (partition and offset) or failed. */
export function traceDelivery(
  record: { resolve: (offset: ProducedOffset) => void; reject: (error: unknown) => void },
  span: Span,
): void {
  const { resolve, reject } = record;
  record.resolve = (offset) => {
    sendAcknowledged(span, offset);
    resolve(offset);
  };
  record.reject = (error) => {
    recordFailure(span, error);
    span.end();
    reject(error);
  };
}
