import { codecs, MemoryKafka, TopicNotFoundError } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Input, Output, Persist, Processor } from './decorators/index.js';
import { GokaModule } from './goka.module.js';
import { GokaRegistry } from './goka.registry.js';
import { getEmitterToken } from './goka.tokens.js';
import type { GokaModuleOptions } from './interfaces/goka-module-options.interface.js';

@Processor('counter')
@Persist(codecs.int64)
@Output('counts', codecs.int64)
class CounterProcessor {
  @Input('clicks', codecs.string)
  click(_value: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }

  @Input('views', codecs.string, { create: { config: { 'retention.ms': '60000' } } })
  view(_value: string, ctx: ProcessContext<number>): void {
    ctx.setValue(ctx.value() ?? 0);
  }
}

@Processor('own', { topics: { create: true, partitions: 5 } })
@Persist(codecs.int64)
class OwnTopicsProcessor {
  @Input('own-input', codecs.string)
  count(_value: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

@Processor('skipper')
@Persist(codecs.int64)
class SkippingProcessor {
  @Input('never-created', codecs.string, { create: false })
  count(_value: string, ctx: ProcessContext<number>): void {
    ctx.setValue(1);
  }
}

const partitionsOf = (kafka: MemoryKafka, topic: string): number | undefined => kafka.describeTopic(topic)?.partitions.length;

describe('GokaModule topic provisioning (topics: { create })', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(options: GokaModuleOptions, processors: Type[], emitters: Parameters<typeof GokaModule.registerEmitter>[0][] = []): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [GokaModule.forRoot({ logger: false, ...options }), ...emitters.map((emitter) => GokaModule.registerEmitter(emitter))],
      providers: processors,
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  it('creates the missing inputs, outputs and emitter topics at start with the module settings', async () => {
    const kafka = new MemoryKafka();
    const started = await start(
      { kafka, topics: { create: true, partitions: 4, config: { 'min.insync.replicas': '1' } }, waitForRecovery: true },
      [CounterProcessor],
      [{ topic: 'events', codec: codecs.string }, { topic: 'manual', codec: codecs.string, create: false }],
    );
    expect(kafka.topicNames()).toEqual(['clicks', 'counter-table', 'counts', 'views']);
    for (const topic of kafka.topicNames()) expect(partitionsOf(kafka, topic)).toBe(4);
    expect(kafka.topic('clicks').config).toEqual({ 'min.insync.replicas': '1' });
    expect(kafka.topic('views').config).toEqual({ 'min.insync.replicas': '1', 'retention.ms': '60000' });

    // Emitters connect (and create their topic) on their first emit.
    await started.get<Emitter<string>>(getEmitterToken('events')).emit('k', 'v');
    expect(partitionsOf(kafka, 'events')).toBe(4);
    await expect(started.get<Emitter<string>>(getEmitterToken('manual')).emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
    expect(kafka.describeTopic('manual')).toBeUndefined();
  });

  it('a created input takes the partition count of the group’s existing table', async () => {
    const kafka = new MemoryKafka();
    kafka.createTopic('counter-table', { partitions: 6, config: { 'cleanup.policy': 'compact' } });
    await start({ kafka, topics: { create: true, partitions: 2 }, waitForRecovery: true }, [CounterProcessor]);
    expect(partitionsOf(kafka, 'clicks')).toBe(6);
    expect(partitionsOf(kafka, 'views')).toBe(6);
    expect(partitionsOf(kafka, 'counts')).toBe(6);
  });

  it('off by default; a processor’s `topics` and an emitter’s `create` turn it on for themselves', async () => {
    const kafka = new MemoryKafka();
    const started = await start(
      { kafka, waitForRecovery: true },
      [OwnTopicsProcessor],
      [{ topic: 'created', codec: codecs.string, create: { partitions: 2 } }, { topic: 'plain', codec: codecs.string }],
    );
    expect(partitionsOf(kafka, 'own-input')).toBe(5);
    await started.get<Emitter<string>>(getEmitterToken('created')).emit('k', 'v');
    expect(partitionsOf(kafka, 'created')).toBe(2);
    await expect(started.get<Emitter<string>>(getEmitterToken('plain')).emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
  });

  it('`@Input(topic, codec, { create: false })` leaves that topic to the user: the processor fails naming it', async () => {
    const kafka = new MemoryKafka();
    const started = await start({ kafka, topics: { create: true } }, [SkippingProcessor]);
    const registry = started.get(GokaRegistry);
    await expect(registry.waitForReady({ timeoutMs: 10_000 })).rejects.toThrow(/never-created/);
    expect(kafka.describeTopic('never-created')).toBeUndefined();
  });

  it('on new MemoryKafka({ createTopics }) topics are created without `topics`; `topics: { create: false }` turns it off', async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 2 } });
    const started = await start({ kafka, waitForRecovery: true }, [CounterProcessor], [{ topic: 'events', codec: codecs.string }]);
    expect(partitionsOf(kafka, 'clicks')).toBe(2);
    await started.get<Emitter<string>>(getEmitterToken('events')).emit('k', 'v');
    expect(partitionsOf(kafka, 'events')).toBe(2);
    await app?.close();
    app = undefined;

    const off = new MemoryKafka({ createTopics: true });
    const refusing = await start({ kafka: off, topics: { create: false } }, [OwnTopicsProcessor, SkippingProcessor], [{ topic: 'events', codec: codecs.string }]);
    // the processor's own `topics: { create: true }` still wins over the module's `false`
    await expect(refusing.get(GokaRegistry).waitForReady({ timeoutMs: 10_000 })).rejects.toThrow(/never-created/);
    expect(partitionsOf(off, 'own-input')).toBe(5);
    await expect(refusing.get<Emitter<string>>(getEmitterToken('events')).emit('k', 'v')).rejects.toThrow(TopicNotFoundError);
  });

  it('refuses a `topics` option that is not an object', async () => {
    await expect(start({ kafka: new MemoryKafka(), topics: true as unknown as { create: boolean } }, [])).rejects.toThrow(/option "topics" must be an object/);
  });
});
