import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, output } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import type { KafkaMessage } from '../kafka/message.js';
import { Processor } from '../processor/processor.js';
import { appended, started } from '../processor/processor.spec-support.js';
import { silentLogger } from '../util/logger.js';
import type { OtelApi } from './otel-api.js';
import { startTracing } from './tracing.spec-support.js';

// The copy of the API @goka/core loads (see otel-api.ts), so the spies see its calls.
const api = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
const RECORDS = 200;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Emits RECORDS records to `in`; a processor forwards each to `out`. Resolves with what reached `out`. */
async function forward(tracing: boolean | undefined): Promise<KafkaMessage[]> {
  const kafka = new MemoryKafka();
  kafka.createTopic('in', { partitions: 2 });
  kafka.createTopic('out', { partitions: 2 });
  const group = defineGroup<ProcessContext>(
    'forward',
    input('in', codecs.string, (ctx: ProcessContext, value: string) => ctx.emit('out', ctx.key, value)),
    output('out', codecs.string),
  );
  const options = tracing === undefined ? {} : { tracing };
  const processor = new Processor(group, { kafka, logger: silentLogger, ...options });
  const { running } = await started(processor);
  const out = appended(kafka, 'out', RECORDS);
  const emitter = new Emitter('in', codecs.string, { kafka, logger: silentLogger, ...options });
  await Promise.all(Array.from({ length: RECORDS }, (_, i) => emitter.emit(`k${i}`, `v${i}`)));
  await emitter.finish();
  const forwarded = await out;
  processor.stop();
  await running;
  return forwarded;
}

/** Spies on every call of the API a traced message makes. */
function spyOnTracingCalls() {
  return [
    vi.spyOn(api.propagation, 'inject'),
    vi.spyOn(api.propagation, 'extract'),
    vi.spyOn(api.context, 'with'),
    vi.spyOn(api.context, 'active'),
    vi.spyOn(api.trace, 'setSpan'),
    vi.spyOn(api.trace, 'getTracer'),
  ];
}

describe('tracing off costs nothing per message', () => {
  it('without a registered tracer provider: no span, context or header per message; one check per batch', async () => {
    const provider = api.trace.getTracerProvider() as ReturnType<typeof api.trace.getTracerProvider> & { getDelegateTracer(name: string): unknown };
    const check = vi.spyOn(provider, 'getDelegateTracer');
    const calls = spyOnTracingCalls();
    const forwarded = await forward(undefined);
    expect(forwarded).toHaveLength(RECORDS);
    for (const spy of calls) expect(spy).not.toHaveBeenCalled();
    expect(forwarded.every((message) => message.headers.traceparent === undefined)).toBe(true);
    // Asked once per emitter send and per processor batch, never per message, and never given a tracer.
    expect(check).toHaveBeenCalled();
    expect(check.mock.calls.length).toBeLessThan(RECORDS / 4);
    for (const result of check.mock.results) expect(result.value).toBeUndefined();
  });

  it('with a provider registered but `tracing: false`: the tracer is never asked for a span', async () => {
    const tracing = startTracing();
    try {
      const provider = api.trace.getTracerProvider() as ReturnType<typeof api.trace.getTracerProvider> & { getDelegateTracer(name: string): unknown };
      const check = vi.spyOn(provider, 'getDelegateTracer');
      const calls = spyOnTracingCalls();
      const forwarded = await forward(false);
      expect(forwarded).toHaveLength(RECORDS);
      expect(check).not.toHaveBeenCalled();
      for (const spy of calls) expect(spy).not.toHaveBeenCalled();
      expect(tracing.exporter.getFinishedSpans()).toEqual([]);
      expect(forwarded.every((message) => message.headers.traceparent === undefined)).toBe(true);
    } finally {
      await tracing.stop();
    }
  });

  it('the same pipeline traced (the control: the spies see a traced run)', async () => {
    const tracing = startTracing();
    try {
      const calls = spyOnTracingCalls();
      const forwarded = await forward(undefined);
      expect(calls[0]).toHaveBeenCalled();
      expect(forwarded.every((message) => message.headers.traceparent !== undefined)).toBe(true);
      expect(tracing.spans('process in')).toHaveLength(RECORDS);
    } finally {
      await tracing.stop();
    }
  });
});
