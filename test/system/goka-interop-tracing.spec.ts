import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codecs, defineGroup, Emitter, input, persist, Processor, tableName } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { silentLogger } from '@goka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGokaView, goView } from '../support/goka-view-fixture.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { startInMemoryTracing } from '../support/tracing.js';
import type { InMemoryTracing } from '../support/tracing.js';
import { adapterFor, createTopics, FAST, readTopic, startReady, stopClean } from './processor-harness.js';

/**
 * Issue 19: the trace headers (`traceparent`) our traced emitters and processors add do not disturb
 * the real Go Goka: its View (test/fixtures/goka-view, sarama) recovers a group table whose every
 * record carries them and reads the same counts. Built like goka-interop-eos.spec.ts (see there for
 * the Go caches).
 */
describe('Go Goka reading records with trace headers (real Kafka, real Go Goka)', () => {
  let workDir = '';
  let binary = '';
  let tracing: InMemoryTracing | undefined;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'goka-interop-tracing-'));
    binary = join(workDir, 'goka-view');
    await buildGokaView(binary);
  }, 600_000);

  afterAll(async () => {
    await tracing?.stop();
    if (workDir !== '') await rm(workDir, { recursive: true, force: true });
  });

  it('recovers a traced table and reads its counts', async () => {
    tracing = startInMemoryTracing();
    const brokers = systemBrokers();
    const group = uniqueName('goka-tracing');
    const topic = uniqueName('goka-tracing-clicks');
    const table = tableName(group);
    await createTopics(brokers, [{ topic, partitions: 2 }]);
    const graph = defineGroup(
      group,
      input(topic, codecs.string, (ctx: ProcessContext<number>) => ctx.setValue((ctx.value() ?? 0) + 1)),
      persist(codecs.int64),
    );
    const kafka = adapterFor(brokers);
    const processor = new Processor(graph, { ...FAST, kafka });
    const running = await startReady(processor);
    const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
    const counts: Record<string, number> = { a: 3, b: 1, c: 2 };
    await Promise.all(Object.entries(counts).flatMap(([key, n]) => Array.from({ length: n }, () => emitter.emit(key, 'click'))));
    await emitter.finish();
    await expect.poll(() => tracing?.spans(`process ${topic}`).length, { timeout: 30_000 }).toBe(6);
    await stopClean(processor, running);

    const records = await readTopic(brokers, table);
    expect(records).toHaveLength(6);
    expect(records.every((record) => record.headers['traceparent'] !== undefined)).toBe(true);
    expect(await goView(binary, brokers, table, Object.keys(counts))).toMatchObject({ recovered: true, values: counts });
  }, 120_000);
});
