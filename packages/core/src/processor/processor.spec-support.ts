import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { defineGroup } from '../graph/define-group.js';
import { input, persist } from '../graph/edges.js';
import type { KafkaMessage } from '../kafka/message.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { silentLogger } from '../util/logger.js';
import type { Processor } from './processor.js';

// What the processor specs share (not part of the build: see tsconfig.build.json).
export type Ctx = ProcessContext<number>;

/** Resolves once `count` records were appended to `topic` (counting from now). */
export function appended(kafka: MemoryKafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const seen: KafkaMessage[] = [];
  return new Promise((resolve) => {
    const stop = kafka.onAppend((message) => {
      if (message.topic !== topic) return;
      seen.push(message);
      if (seen.length === count) {
        stop();
        resolve(seen);
      }
    });
  });
}

export async function emitAll(kafka: MemoryKafka, topic: string, entries: ReadonlyArray<readonly [string, string | null]>): Promise<void> {
  const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
  await Promise.all(entries.map(([key, value]) => emitter.emit(key, value)));
  await emitter.finish();
}

export const counter = (group = 'counter') =>
  defineGroup<Ctx>(
    group,
    input('clicks', codecs.string, (ctx: Ctx) => {
      ctx.setValue((ctx.value() ?? 0) + 1);
    }),
    persist(codecs.int64),
  );

export function setup(partitions = 4): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('clicks', { partitions });
  return kafka;
}

/** Runs the processor until it is ready; `running` settles when the run ends. */
export async function started<V>(processor: Processor<V>): Promise<{ running: Promise<void> }> {
  const running = processor.run();
  running.catch(() => undefined);
  await processor.waitForReady();
  return { running };
}
