import { describe, expect, it, vi } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import { MemoryAdmin } from '../kafka/memory/memory-admin.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { silentLogger } from '../util/logger.js';
import { Processor } from './processor.js';

type Ctx = ProcessContext<number>;

const counter = defineGroup<Ctx>(
  'hwm-counter',
  input('clicks', codecs.string, (ctx: Ctx) => {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }),
  persist(codecs.int64),
);

/** Emits one click and resolves once the processor wrote its table record. */
async function click(kafka: MemoryKafka): Promise<void> {
  const written = new Promise<void>((resolve) => {
    const stop = kafka.onAppend((message) => {
      if (message.topic !== 'hwm-counter-table') return;
      stop();
      resolve();
    });
  });
  const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
  await emitter.emit('k', 'c');
  await emitter.finish();
  await written;
}

describe('Processor.stats({ maxHighWatermarkAgeMs })', () => {
  it('reuses high-water marks younger than the age (at least the next offset to consume) and asks Kafka again without it', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 1 });
    const processor = new Processor(counter, { kafka, logger: silentLogger, initialOffset: 'oldest' });
    const running = processor.run();
    running.catch(() => undefined);
    await processor.waitForReady();
    const asked = vi.spyOn(MemoryAdmin.prototype, 'offsets');
    await click(kafka);
    expect((await processor.stats({ maxHighWatermarkAgeMs: 60_000 })).partitions[0]?.input['clicks']?.hwm).toBe(1);
    expect(asked).toHaveBeenCalledTimes(1);
    await click(kafka);
    // Known for less than a minute: not asked again; consumed past it, so reported as the next offset.
    expect((await processor.stats({ maxHighWatermarkAgeMs: 60_000 })).partitions[0]?.input['clicks']).toMatchObject({ hwm: 2, lag: 0 });
    expect(asked).toHaveBeenCalledTimes(1);
    expect((await processor.stats()).partitions[0]?.input['clicks']?.hwm).toBe(2);
    expect(asked).toHaveBeenCalledTimes(2);
    asked.mockRestore();
    await processor.stop();
    await running;
  });
});
