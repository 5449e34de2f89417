import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { deadLetter, retry } from '../policy/error-policy.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import { Processor } from '../processor/processor.js';
import { started } from '../processor/processor.spec-support.js';
import { silentLogger } from '../util/logger.js';
import { startTracing } from './tracing.spec-support.js';
import type { TestTracing } from './tracing.spec-support.js';

let tracing: TestTracing;
beforeEach(() => {
  tracing = startTracing();
});
afterEach(() => tracing.stop());

/**
 * Runs a processor whose callback throws for the value `poison` (and, with `failures`, only its
 * first `failures` runs) over `ok`, `poison`, `ok2`, and returns the process span of `poison`.
 */
async function poisonSpan(onError: ErrorPolicy, failures = Number.POSITIVE_INFINITY) {
  const kafka = new MemoryKafka();
  kafka.createTopic('in', { partitions: 1 });
  let runs = 0;
  const group = defineGroup<ProcessContext>(
    'poisoned',
    input('in', codecs.string, (_ctx, value: string) => {
      if (value === 'poison' && runs++ < failures) throw new RangeError('poison pill');
    }),
  );
  const processor = new Processor(group, { kafka, logger: silentLogger, onError });
  const { running } = await started(processor);
  const emitter = new Emitter('in', codecs.string, { kafka, logger: silentLogger });
  for (const value of ['ok', 'poison', 'ok2']) await emitter.emit(value, value);
  await emitter.finish();
  await expect.poll(() => tracing.spans('process in').length).toBe(onError === 'fail' ? 2 : 3);
  processor.stop();
  await running.catch(() => undefined);
  const spans = tracing.spans('process in');
  const poison = spans.find((span) => span.attributes['messaging.kafka.message.key'] === 'poison');
  const ok = spans.find((span) => span.attributes['messaging.kafka.message.key'] === 'ok');
  expect(ok?.status.code).toBe(SpanStatusCode.UNSET);
  expect(ok?.attributes['goka.error.policy']).toBeUndefined();
  if (poison === undefined) throw new Error('no process span of the poison record');
  return poison;
}

function exceptionOf(span: Awaited<ReturnType<typeof poisonSpan>>) {
  const event = span.events.find((e) => e.name === 'exception');
  return { type: event?.attributes?.['exception.type'], message: event?.attributes?.['exception.message'] };
}

describe('a failed message\'s process span', () => {
  it('skip: carries the error and the policy', async () => {
    const span = await poisonSpan('skip');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'poison pill' });
    expect(span.attributes['goka.error.policy']).toBe('skip');
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(exceptionOf(span)).toEqual({ type: 'RangeError', message: 'poison pill' });
  });

  it('dead-letter: carries the error and the policy', async () => {
    const span = await poisonSpan(deadLetter());
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['goka.error.policy']).toBe('dead-letter');
  });

  it('retry that succeeds: the policy, the failure as an event, no error status', async () => {
    const span = await poisonSpan(retry({ attempts: 3, backoffMs: 1, fallback: 'fail' }), 1);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['goka.error.policy']).toBe('retry');
    expect(exceptionOf(span).message).toBe('poison pill');
  });

  it('retries exhausted, then skip: the fallback is the policy taken', async () => {
    const span = await poisonSpan(retry({ attempts: 2, backoffMs: 1, fallback: 'skip' }));
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['goka.error.policy']).toBe('skip');
  });

  it('fail: the processor stops, the span says so', async () => {
    const span = await poisonSpan('fail');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['goka.error.policy']).toBe('fail');
  });
});
