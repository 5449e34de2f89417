import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import { TopicCreationOptionsError, TopicNotCopartitionedError, TopicNotCreatedError } from '../errors/topic-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, join, output, persist } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';
import type { ProcessorOptions } from '../processor/processor-options.js';
import { silentLogger } from '../util/logger.js';

type Ctx = ProcessContext<number>;

/** A counter of `inputs` into its table, writing every count to `counts`. */
function counter(group: string, inputs: readonly string[], extra: { join?: string } = {}) {
  return defineGroup<Ctx>(
    group,
    ...inputs.map((topic) =>
      input(topic, codecs.string, (ctx: Ctx) => {
        const count = (ctx.value() ?? 0) + 1;
        ctx.setValue(count);
        ctx.emit('counts', ctx.key, count);
      }),
    ),
    ...(extra.join === undefined ? [] : [join(extra.join, codecs.int64)]),
    output('counts', codecs.int64),
    persist(codecs.int64),
  );
}

/** Runs the processor until it is ready (or failed), then stops it; returns the failure. */
async function start(processor: Processor<number>): Promise<unknown> {
  const run = processor.run();
  const failed = run.then(
    () => undefined,
    (error: unknown) => error,
  );
  const outcome = await Promise.race([processor.waitForReady().then(() => undefined), failed]);
  if (outcome !== undefined) return outcome;
  await processor.stop();
  return await failed;
}

function options(kafka: MemoryKafka, extra: Partial<ProcessorOptions> = {}): ProcessorOptions {
  return { kafka, logger: silentLogger, ...extra };
}

const partitionsOf = (kafka: MemoryKafka, topic: string): number | undefined => kafka.describeTopic(topic)?.partitions.length;

describe('topic provisioning (createTopics, createTopic)', () => {
  it('without createTopics a missing input fails the start and nothing is created (Goka)', async () => {
    const kafka = new MemoryKafka();
    const error = await start(new Processor(counter('g', ['clicks']), options(kafka)));
    expect(error).toBeInstanceOf(TopicNotFoundError);
    expect(kafka.topicNames()).toEqual([]);
  });

  it('creates missing inputs with `partitions`, the table and the output with the group’s count', async () => {
    const kafka = new MemoryKafka();
    const processor = new Processor(
      counter('g', ['clicks', 'views']),
      options(kafka, { createTopics: { partitions: 4, config: { 'retention.ms': '60000' } } }),
    );
    expect(await start(processor)).toBeUndefined();
    expect(kafka.topicNames()).toEqual(['clicks', 'counts', 'g-table', 'views']);
    for (const topic of kafka.topicNames()) expect(partitionsOf(kafka, topic)).toBe(4);
    expect(kafka.topic('clicks').config).toEqual({ 'retention.ms': '60000' });
    expect(kafka.topic('g-table').config).toEqual({ 'cleanup.policy': 'compact' });
  });

  it('`true` creates with one partition', async () => {
    const kafka = new MemoryKafka();
    expect(await start(new Processor(counter('g', ['clicks']), options(kafka, { createTopics: true })))).toBeUndefined();
    expect(partitionsOf(kafka, 'clicks')).toBe(1);
    expect(partitionsOf(kafka, 'counts')).toBe(1);
  });

  it('a created input takes the partition count of an existing copartitioned input, not `partitions`', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('views', { partitions: 6 });
    const processor = new Processor(counter('g', ['clicks', 'views']), options(kafka, { createTopics: { partitions: 2 } }));
    expect(await start(processor)).toBeUndefined();
    expect(partitionsOf(kafka, 'clicks')).toBe(6);
    expect(partitionsOf(kafka, 'g-table')).toBe(6);
    expect(partitionsOf(kafka, 'counts')).toBe(6);
  });

  it('... and of an existing joined table or group table', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('users-table', { partitions: 3 });
    expect(await start(new Processor(counter('g', ['clicks'], { join: 'users-table' }), options(kafka, { createTopics: { partitions: 8 } })))).toBeUndefined();
    expect(partitionsOf(kafka, 'clicks')).toBe(3);

    const other = new MemoryKafka();
    other.createTopic('h-table', { partitions: 5, config: { 'cleanup.policy': 'compact' } });
    expect(await start(new Processor(counter('h', ['clicks']), options(other, { createTopics: true })))).toBeUndefined();
    expect(partitionsOf(other, 'clicks')).toBe(5);
  });

  it('existing topics are used as they are; non-copartitioned existing inputs still fail', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('clicks', { partitions: 2 });
    kafka.createTopic('views', { partitions: 3 });
    const error = await start(new Processor(counter('g', ['clicks', 'views']), options(kafka, { createTopics: true })));
    expect(error).toBeInstanceOf(TopicNotCopartitionedError);
  });

  it('per topic: `false` never creates it, an output’s own partitions and config win', async () => {
    const kafka = new MemoryKafka();
    const skipped = new Processor(counter('g', ['clicks', 'views']), options(kafka, { createTopics: { topics: { views: false } } }));
    expect(await start(skipped)).toBeInstanceOf(TopicNotFoundError);
    expect(kafka.describeTopic('views')).toBeUndefined();

    const fresh = new MemoryKafka();
    const processor = new Processor(
      counter('g', ['clicks']),
      options(fresh, { createTopics: { partitions: 2, config: { a: '1' }, topics: { counts: { partitions: 7, config: { b: '2' } } } } }),
    );
    expect(await start(processor)).toBeUndefined();
    expect(partitionsOf(fresh, 'counts')).toBe(7);
    expect(fresh.topic('counts').config).toEqual({ a: '1', b: '2' });
  });

  it('refuses unusable options at construction, and partitions for an input (the copartitioning rule decides)', async () => {
    const kafka = new MemoryKafka();
    expect(() => new Processor(counter('g', ['clicks']), options(kafka, { createTopics: { partitions: 0 } }))).toThrow(TopicCreationOptionsError);
    expect(() => new Processor(counter('g', ['clicks']), options(kafka, { createTopics: { config: { a: 1 as unknown as string } } }))).toThrow(
      /^processor "g": createTopics\.config must be an object of config name to string value, got \{"a":1\}$/,
    );
    const error = await start(new Processor(counter('g', ['clicks']), options(kafka, { createTopics: { topics: { clicks: { partitions: 3 } } } })));
    expect(error).toBeInstanceOf(TopicCreationOptionsError);
    expect(String(error)).toMatch(/input "clicks" of group "g" takes the partition count/);
  });

  it('noCreate of the topic manager wins', async () => {
    const kafka = new MemoryKafka();
    const error = await start(new Processor(counter('g', ['clicks']), options(kafka, { createTopics: true, topicManager: { noCreate: true } })));
    expect(error).toBeInstanceOf(TopicNotCreatedError);
  });

  it('new MemoryKafka({ createTopics }) is the default of every processor and emitter on it; their own setting wins', async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 2, config: { 'retention.ms': '5000' } } });
    expect(await start(new Processor(counter('g', ['clicks']), options(kafka)))).toBeUndefined();
    expect(partitionsOf(kafka, 'clicks')).toBe(2);
    expect(partitionsOf(kafka, 'counts')).toBe(2);
    expect(kafka.topic('clicks').config).toEqual({ 'retention.ms': '5000' });
    expect(kafka.topic('g-table').config).toEqual({ 'cleanup.policy': 'compact' });
    const emitter = new Emitter('events', codecs.string, { kafka, logger: silentLogger });
    await emitter.emit('k', 'v');
    await emitter.finish();
    expect(partitionsOf(kafka, 'events')).toBe(2);

    expect(await start(new Processor(counter('h', ['views']), options(kafka, { createTopics: false })))).toBeInstanceOf(TopicNotFoundError);
    const refusing = new Emitter('other', codecs.string, { kafka, logger: silentLogger, createTopic: false });
    await expect(refusing.emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
    await refusing.finish();
    expect(kafka.describeTopic('views')).toBeUndefined();
    expect(kafka.describeTopic('other')).toBeUndefined();
    expect(new MemoryKafka({ createTopics: true }).createTopics).toEqual({});
    expect(new MemoryKafka().createTopics).toBeUndefined();
    expect(() => new MemoryKafka({ createTopics: { partitions: -1 } })).toThrow('MemoryKafka: createTopics.partitions must be a positive integer, got -1');
  });

  it('an emitter creates its missing topic only with createTopic, then uses it as it is', async () => {
    const kafka = new MemoryKafka();
    const plain = new Emitter('out', codecs.string, { kafka, logger: silentLogger });
    await expect(plain.emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
    await plain.finish();
    expect(kafka.describeTopic('out')).toBeUndefined();

    const creating = new Emitter('out', codecs.string, { kafka, logger: silentLogger, createTopic: { partitions: 3, config: { 'retention.ms': '1000' } } });
    await creating.emit('k', 'v');
    await creating.finish();
    expect(partitionsOf(kafka, 'out')).toBe(3);
    expect(kafka.topic('out').config).toEqual({ 'retention.ms': '1000' });

    const again = new Emitter('out', codecs.string, { kafka, logger: silentLogger, createTopic: { partitions: 9 } });
    await again.emit('k', 'w');
    await again.finish();
    expect(partitionsOf(kafka, 'out')).toBe(3);
    expect(() => new Emitter('x', codecs.string, { kafka, createTopic: 'yes' as unknown as boolean })).toThrow(TopicCreationOptionsError);
  });
});
