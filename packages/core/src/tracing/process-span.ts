import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { Headers, KafkaMessage } from '../kafka/message.js';
import { headerGetter, headerSetter } from './header-carrier.js';
import * as attr from './messaging-attributes.js';
import { activeTracer, otelApi } from './otel-api.js';
import type { OtelApi } from './otel-api.js';
import { recordFailure, startSend } from './send-span.js';

/** The tracing of a processor batch, or `undefined` when tracing is off (see {@link activeTracer}). */
export function batchTracing(enabled: boolean, group: string, partition: number): BatchTracing | undefined {
  const tracer = activeTracer(enabled);
  return tracer === undefined ? undefined : new BatchTracing(tracer, group, partition);
}

/**
 * The tracing of one processor batch (made only when tracing is on): a CONSUMER `process` span per
 * input message, and a PRODUCER `create` span per record its callback writes.
 */
export class BatchTracing {
  private readonly api = otelApi() as OtelApi;

  constructor(
    private readonly tracer: Tracer,
    private readonly group: string,
    private readonly partition: number,
  ) {}

  /**
   * Starts the `process` span of `message`. Its parent is the trace context the producer put in the
   * record's headers (a new trace when there is none): the request that emitted the record, or the
   * callback that wrote it.
   */
  message(message: KafkaMessage, key: string): MessageTrace {
    const { api } = this;
    const parent = api.propagation.extract(api.ROOT_CONTEXT, message.headers, headerGetter);
    const span = this.tracer.startSpan(
      `process ${message.topic}`,
      {
        kind: api.SpanKind.CONSUMER,
        attributes: {
          [attr.MESSAGING_SYSTEM]: 'kafka',
          [attr.MESSAGING_DESTINATION_NAME]: message.topic,
          [attr.MESSAGING_OPERATION_NAME]: 'process',
          [attr.MESSAGING_OPERATION_TYPE]: 'process',
          [attr.MESSAGING_CONSUMER_GROUP_NAME]: this.group,
          [attr.MESSAGING_DESTINATION_PARTITION_ID]: String(this.partition),
          [attr.MESSAGING_KAFKA_OFFSET]: message.offset,
          [attr.MESSAGING_KAFKA_MESSAGE_KEY]: key,
        },
      },
      parent,
    );
    return new MessageTrace(api, span, api.trace.setSpan(parent, span));
  }

  /**
   * The headers of a group-table record with the trace context of the callback that wrote it: no span
   * of its own (a table write is state, read by views and recoveries, not processed downstream), which
   * spares a span per stateful message. A callback whose span is not recorded (sampled out) adds no
   * context: nothing downstream of a table continues its trace, so that spares the header's bytes too.
   */
  table(headers: Headers | undefined): Headers | undefined {
    const { api } = this;
    if (api.trace.getSpan(api.context.active())?.isRecording() !== true) return headers;
    const carrier: Record<string, Buffer> = headers === undefined ? {} : { ...headers };
    api.propagation.inject(api.context.active(), carrier, headerSetter);
    return carrier;
  }

  /** The headers of a record a callback emits or loops back, with the trace context of its `create` span (ended at once). */
  output(topic: string, partition: number, key: string, tombstone: boolean, headers: Headers | undefined): Headers {
    const { span, headers: traced } = startSend(this.tracer, 'create', topic, key, tombstone, headers, partition);
    span.end();
    return traced;
  }
}

/** The error-policy counters of a partition (its stats). */
interface PolicyCounters {
  readonly retried: number;
  readonly skipped: number;
  readonly deadLettered: number;
}

/** The `process` span of one input message, over all its runs (retries included) and its error policy. */
export class MessageTrace {
  private skipped = 0;
  private deadLettered = 0;

  constructor(
    private readonly api: OtelApi,
    readonly span: Span,
    /** The context with {@link span} active: the callback runs in it. */
    readonly context: Context,
  ) {}

  /** Calls `fn(a, b)` with the span active, so spans the callback starts (and the records it writes) are its children. */
  within<A, B, R>(fn: (a: A, b: B) => R, a: A, b: B): R {
    return this.api.context.with(this.context, fn, undefined, a, b);
  }

  /** The message was processed. */
  end(): void {
    this.span.end();
  }

  /** The message failed: remembers the counters so {@link policyApplied} can tell which policy ran. */
  failed(counters: PolicyCounters): void {
    this.skipped = counters.skipped;
    this.deadLettered = counters.deadLettered;
  }

  /**
   * Ends the span with the failure and the policy taken: `retry` (a later run succeeded), `skip`,
   * `dead-letter`, `fail` (the processor stops) or `interrupted` (the partition was revoked while waiting).
   */
  policyApplied(error: unknown, outcome: 'released' | 'interrupted' | Error, counters: PolicyCounters): void {
    let policy: string;
    if (outcome instanceof Error) policy = 'fail';
    else if (outcome === 'interrupted') policy = 'interrupted';
    else if (counters.deadLettered > this.deadLettered) policy = 'dead-letter';
    else if (counters.skipped > this.skipped) policy = 'skip';
    else policy = 'retry';
    this.span.setAttribute(attr.GOKA_ERROR_POLICY, policy);
    if (policy === 'retry') {
      // Processed in the end: the failure stays as an event, the span is not an error.
      this.span.recordException(error instanceof Error ? error : new Error(String(error)));
    } else {
      recordFailure(this.span, error);
    }
    this.span.end();
  }
}
