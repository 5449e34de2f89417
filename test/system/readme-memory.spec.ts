// The example of the README section "Memory" (keep the two in sync).
import { codecs, defineGroup, input, persist, Processor } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

export function clickCounter(group: string, topic: string, path: string): Processor<number> {
  const graph = defineGroup<ProcessContext<number>>(
    group,
    input(topic, codecs.string, (ctx) => ctx.setValue((ctx.value() ?? 0) + 1)),
    persist(codecs.int64),
  );
  return new Processor(graph, {
    brokers,
    initialOffset: 'oldest',
    fetchMaxBytes: 2 << 20, // fetched batches waiting for their partitions, over all of them
    maxInFlightBytes: 4 << 20, // processed batches waiting for Kafka's acknowledgement, over all partitions
    storage: rocksDbStorageFactory({ path, memory: { blockCacheBytes: 16 << 20, writeBufferBytes: 16 << 20 } }),
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emitter, silentLogger } from '@goka/core';
import { expect, it } from 'vitest';
import { uniqueName } from '../support/kafka.js';
import { readmeExample, specExample } from '@goka/scripts';
import { createTopics } from './processor-harness.js';

it('counts every click of 64 partitions with the memory options of the README', async () => {
  const topic = uniqueName('readme-memory-clicks');
  await createTopics(brokers, [{ topic, partitions: 64 }]);
  const emitter = new Emitter(topic, codecs.string, { brokers, logger: silentLogger });
  await Promise.all(Array.from({ length: 6400 }, (_, i) => emitter.emit(`user-${i % 64}`, 'click')));
  await emitter.finish();
  const path = await mkdtemp(join(tmpdir(), 'readme-memory-'));
  const processor = clickCounter(uniqueName('readme-memory'), topic, path);
  const running = processor.run();
  try {
    await processor.waitForReady();
    for (let user = 0; user < 64; user++) {
      await expect.poll(() => processor.get(`user-${user}`), { timeout: 30_000 }).toBe(100);
    }
  } finally {
    await processor.stop();
    await running;
    await rm(path, { recursive: true, force: true });
  }
});

it('is the example the README shows under "Memory"', async () => {
  expect(await readmeExample('## Memory')).toBe(await specExample(import.meta.url, 'import { mkdtemp'));
});
