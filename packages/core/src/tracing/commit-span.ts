import type { Span } from '@opentelemetry/api';
import * as attr from './messaging-attributes.js';
import { activeTracer, otelApi } from './otel-api.js';
import type { OtelApi } from './otel-api.js';
import { recordFailure } from './send-span.js';

/** Goka's attributes of a commit span: the processor's guarantee and how many partition offsets it committed. */
export const GOKA_GUARANTEE = 'goka.guarantee';
export const GOKA_COMMIT_OFFSETS = 'goka.commit.offsets';

/**
 * Runs `commit` (a processor's commit of its completed offsets: at-least-once to the group,
 * exactly-once with its transaction) in a `commit` span, the messaging conventions' `settle`
 * operation: a root span (a commit settles the messages of many traces at once), CLIENT kind, with
 * the consumer group, the guarantee and, once known, the number of partition offsets it committed.
 * A commit that throws is recorded on the span; `commit` resolves `false` when it failed without
 * throwing (a refused or aborted commit), which ends the span as an error too. Without a tracer
 * (tracing off), `commit` runs as is.
 */
export async function traceOffsetCommit(
  enabled: boolean | undefined,
  group: string,
  guarantee: 'at-least-once' | 'exactly-once',
  commit: (span: CommitSpan | undefined) => Promise<void>,
): Promise<void> {
  const tracer = activeTracer(enabled);
  if (tracer === undefined) return commit(undefined);
  const api = otelApi() as OtelApi;
  const span = tracer.startSpan(
    'commit',
    {
      kind: api.SpanKind.CLIENT,
      root: true,
      attributes: {
        [attr.MESSAGING_SYSTEM]: 'kafka',
        [attr.MESSAGING_OPERATION_NAME]: 'commit',
        [attr.MESSAGING_OPERATION_TYPE]: 'settle',
        [attr.MESSAGING_CONSUMER_GROUP_NAME]: group,
        [GOKA_GUARANTEE]: guarantee,
      },
    },
    api.ROOT_CONTEXT,
  );
  const handle = new CommitSpan(span);
  try {
    await commit(handle);
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** What a commit tells its span. */
export class CommitSpan {
  constructor(private readonly span: Span) {}

  /** The number of partition offsets the commit carries. */
  offsets(count: number): void {
    this.span.setAttribute(GOKA_COMMIT_OFFSETS, count);
  }

  /** The commit failed without an exception reaching the caller (refused, unreachable, aborted). */
  failed(error: unknown): void {
    recordFailure(this.span, error);
  }
}
