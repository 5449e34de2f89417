import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Processor } from '../processor/processor.js';
import { counter, emitAll, setup, started } from '../processor/processor.spec-support.js';
import type { ProcessorOptions } from '../processor/processor-options.js';
import { silentLogger } from '../util/logger.js';
import { startTracing } from './tracing.spec-support.js';
import type { TestTracing } from './tracing.spec-support.js';

let tracing: TestTracing;
beforeEach(() => {
  tracing = startTracing();
});
afterEach(() => tracing.stop());

/** Counts 3 clicks (on 4 partitions) with `options`, stops, and returns the commit spans. */
async function commitsOf(options: Partial<ProcessorOptions>) {
  const kafka = setup();
  const processor = new Processor<number>(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 10, ...options });
  const { running } = await started(processor);
  await emitAll(kafka, 'clicks', [['a', 'x'], ['b', 'x'], ['c', 'x']]);
  await expect.poll(() => tracing.spans('commit').reduce((sum, span) => sum + Number(span.attributes['goka.commit.offsets'] ?? 0), 0)).toBeGreaterThan(0);
  processor.stop();
  await running;
  return tracing.spans('commit');
}

describe('commit spans (the messaging conventions\' settle operation)', () => {
  it('traces an at-least-once commit as a root CLIENT span with the group and the offsets it carried', async () => {
    const commits = await commitsOf({});
    for (const span of commits) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'commit',
        'messaging.operation.type': 'settle',
        'messaging.consumer.group.name': 'counter',
        'goka.guarantee': 'at-least-once',
      });
      expect(span.attributes['goka.commit.offsets']).toBeGreaterThan(0);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
  });

  it('traces an exactly-once commit (its transaction) the same way, and no commit while there is nothing to commit', async () => {
    const commits = await commitsOf({ guarantee: 'exactly-once' });
    expect(commits.length).toBeGreaterThan(0);
    for (const span of commits) {
      expect(span.attributes).toMatchObject({ 'messaging.operation.type': 'settle', 'goka.guarantee': 'exactly-once' });
      // Every span is a commit that carried offsets: idle intervals (every 10 ms here) make none.
      expect(span.attributes['goka.commit.offsets']).toBeGreaterThan(0);
    }
  });

  it('makes no commit span when the processor opted out of tracing', async () => {
    const kafka = setup();
    const processor = new Processor<number>(counter(), { kafka, logger: silentLogger, initialOffset: 'oldest', commitIntervalMs: 10, tracing: false });
    const { running } = await started(processor);
    await emitAll(kafka, 'clicks', [['a', 'x']]);
    // A commit counts only when it carried offsets: this one carried the click's.
    await expect.poll(async () => (await processor.stats()).commits.count).toBeGreaterThan(0);
    processor.stop();
    await running;
    expect(tracing.spans('commit')).toEqual([]);
    expect(tracing.spans('process clicks')).toEqual([]);
  });
});
