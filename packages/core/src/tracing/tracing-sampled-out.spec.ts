import { AlwaysOffSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, output, persist } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';
import { appended, started } from '../processor/processor.spec-support.js';
import { silentLogger } from '../util/logger.js';
import { startTracing } from './tracing.spec-support.js';
import type { TestTracing } from './tracing.spec-support.js';

let tracing: TestTracing;
beforeEach(() => {
  // An app that samples: here every new trace is sampled out (parent-based, root always off).
  tracing = startTracing(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
});
afterEach(() => tracing.stop());

it('sampled out: outputs carry the not-sampled context downstream, table writes carry none, no span is recorded', async () => {
  const kafka = new MemoryKafka();
  for (const topic of ['requests', 'counted']) kafka.createTopic(topic, { partitions: 1 });
  const graph = defineGroup<ProcessContext<number>>(
    'counter',
    input('requests', codecs.string, (ctx: ProcessContext<number>) => {
      const count = (ctx.value() ?? 0) + 1;
      ctx.setValue(count);
      ctx.emit('counted', ctx.key, String(count));
    }),
    output('counted', codecs.string),
    persist(codecs.int64),
  );
  const processor = new Processor(graph, { kafka, logger: silentLogger });
  const { running } = await started(processor);
  const emitter = new Emitter('requests', codecs.string, { kafka, logger: silentLogger });
  const counted = appended(kafka, 'counted', 1);
  await emitter.emit('user-1', 'click');
  const [out] = await counted;
  processor.stop();
  await Promise.all([running, emitter.finish()]);

  // The emit's trace was sampled out: downstream keeps that decision (flags 00) and the same trace.
  const request = kafka.read('requests', 0)[0];
  const traceId = request?.headers.traceparent?.toString().split('-')[1];
  expect(request?.headers.traceparent?.toString()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  expect(out?.headers.traceparent?.toString()).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  expect(kafka.read('counter-table', 0)[0]?.headers.traceparent).toBeUndefined();
  expect(tracing.exporter.getFinishedSpans()).toEqual([]);
});
