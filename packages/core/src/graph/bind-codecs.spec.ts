import { describe, expect, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import type { CodecBindContext, CodecServices } from '../codec/codec-bind-context.js';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { CodecBindError } from '../errors/codec-bind-error.js';
import { GokaError } from '../errors/goka-error.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';
import { silentLogger } from '../util/logger.js';
import { View } from '../view/view.js';
import { bindCodec, bindCodecs } from './bind-codecs.js';
import { defineGroup } from './define-group.js';
import { input, join, lookup, output, persist } from './edges.js';

type Ctx = ProcessContext<string>;

/**
 * A codec that must be bound: unbound it throws; bound, it writes `<prefix>|<value>` where the
 * prefix comes from the services and the edge (as a schema codec writes its schema id).
 */
function lateCodec(calls: CodecBindContext[], fail?: (context: CodecBindContext) => unknown): Codec<string> {
  return {
    name: 'late',
    encode: () => {
      throw new Error('not bound');
    },
    decode: () => {
      throw new Error('not bound');
    },
    bind(context: CodecBindContext): Promise<Codec<string>> {
      calls.push(context);
      const failure = fail?.(context);
      if (failure !== undefined) return Promise.reject(failure);
      const prefix = `${String(context.codecServices['tag'])}:${context.topic}`;
      return Promise.resolve({
        name: 'late-bound',
        encode: (value: string) => Buffer.from(`${prefix}|${value}`),
        decode: (bytes: Buffer) => {
          const text = bytes.toString();
          const at = text.indexOf('|');
          // Records written by the same codec on another edge decode as well (like a schema id).
          return at < 0 ? text : text.slice(at + 1);
        },
      });
    },
  };
}

describe('bindCodecs', () => {
  it('returns the graph itself when no codec has bind', async () => {
    const graph = defineGroup<Ctx>('plain', input('in', codecs.string, () => undefined), persist(codecs.string));
    expect(await bindCodecs(graph, { tag: 'x' })).toBe(graph);
  });

  it('binds each (codec, topic) once with the edge, the group and the services; other codecs stay', async () => {
    const calls: CodecBindContext[] = [];
    const late = lateCodec(calls);
    const services: CodecServices = { tag: 's1' };
    const graph = defineGroup<Ctx>(
      'g',
      input('a', late, () => undefined),
      input('b', late, () => undefined),
      input('c', codecs.string, () => undefined),
      join('j', late),
      lookup('l', late),
      output('o', late),
      persist(late),
    );
    const bound = await bindCodecs(graph, services);
    expect(bound).not.toBe(graph);
    expect(bound.group).toBe('g');
    expect(calls.map((c) => c.topic).sort()).toEqual(['a', 'b', 'g-table', 'j', 'l', 'o']);
    expect(calls.every((c) => c.group === 'g' && !c.isKey && c.codecServices === services)).toBe(true);
    expect(bound.codec('c')).toBe(codecs.string);
    expect(bound.codec('a')?.encode('v').toString()).toBe('s1:a|v');
    expect(bound.groupTable()?.codec.encode('v').toString()).toBe('s1:g-table|v');
    expect(bound.lookupTables()[0]?.toString()).toBe('l/late-bound');
    expect(bound.callback('a')).toBe(graph.callback('a'));
    // A second component of the same services binds nothing again; other services bind anew.
    await bindCodecs(graph, services);
    expect(calls).toHaveLength(6);
    await bindCodecs(graph, { tag: 's2' });
    expect(calls).toHaveLength(12);
    expect(await bindCodec(codecs.int64, { topic: 'x' })).toBe(codecs.int64);
  });

  it('fails with a CodecBindError naming group, topic and codec, retriable as its cause, and binds again later', async () => {
    const calls: CodecBindContext[] = [];
    let down = true;
    const outage = new GokaError('GOKA_KAFKA_REQUEST', 'registry down', { retriable: true });
    const late = lateCodec(calls, (c) => (c.topic === 'in' && down ? outage : undefined));
    const graph = defineGroup<Ctx>('grp', input('in', late, () => undefined));
    const services = { tag: 't' };
    const error = await bindCodecs(graph, services).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecBindError);
    expect(error).toMatchObject({ code: 'GOKA_CODEC_BIND', group: 'grp', topic: 'in', codec: 'late', isKey: false, retriable: true, cause: outage });
    expect((error as Error).message).toBe('cannot bind the late codec of the value of topic "in" of group "grp": registry down');
    down = false;
    expect((await bindCodecs(graph, services)).codec('in')?.encode('v').toString()).toBe('t:in|v');
  });

  it('refuses a bind that resolves to no codec', async () => {
    const odd = { ...codecs.string, name: 'odd', bind: () => Promise.resolve({} as Codec<string>) };
    await expect(bindCodec(odd, { topic: 't' })).rejects.toThrow(/cannot bind the odd codec of the value of topic "t": bind\(\) did not resolve to a codec/);
  });
});

describe('components bind their codecs before they start', () => {
  it('a processor reads, writes its table and answers get() with the bound codecs', async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 2 } });
    kafka.createTopic('in', { partitions: 2 });
    const calls: CodecBindContext[] = [];
    const late = lateCodec(calls);
    const codecServices = { tag: 'p' };
    const emitter = new Emitter('in', late, { kafka, logger: silentLogger, codecServices });
    // Emitted before the codec is bound: encoded once it is, in order.
    const sent = [emitter.emit('k', 'one'), emitter.emitSync('k', 'two')];
    await Promise.all(sent);
    await emitter.finish();
    expect(kafka.read('in', 0).concat(kafka.read('in', 1)).map((m) => m.value?.toString())).toEqual(['p:in|one', 'p:in|two']);
    const graph = defineGroup<Ctx>('proc', input('in', late, (ctx, value) => ctx.setValue(`${ctx.value() ?? ''}${value}`)), persist(late));
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', codecServices });
    const running = processor.run();
    await processor.waitForReady();
    await expect.poll(() => processor.get('k')).toBe('onetwo');
    expect(processor.graph).toBe(graph);
    const table = kafka.read('proc-table', 0).concat(kafka.read('proc-table', 1));
    expect(table.at(-1)?.value?.toString()).toBe('p:proc-table|onetwo');
    const view = new View('proc-table', late, { kafka, logger: silentLogger, codecServices });
    const viewing = view.run();
    await view.waitRunning();
    expect(await view.get('k')).toBe('onetwo');
    await Promise.all([view.stop(), processor.stop()]);
    await Promise.all([viewing, running]);
    // emitter (in), processor (in, proc-table), view (proc-table): one binding per topic of the services
    expect(calls.map((c) => `${c.topic}/${String(c.group)}`)).toEqual(['in/undefined', 'proc-table/proc']);
  });

  it("a processor's lookup view and joined table read with the bound codecs", async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 1 } });
    for (const topic of ['orders', 'names', 'plans']) kafka.createTopic(topic, { partitions: 1 });
    const late = lateCodec([]);
    const codecServices = { tag: 'lj' };
    for (const [topic, value] of [['names', 'Kay'], ['plans', 'pro'], ['orders', 'o1']] as const) {
      const emitter = new Emitter(topic, late, { kafka, logger: silentLogger, codecServices });
      await emitter.emit('k', value);
      await emitter.finish();
    }
    const graph = defineGroup<Ctx>(
      'lj',
      input('orders', late, async (ctx, order) => ctx.setValue(`${order}:${String(await ctx.lookup('names', ctx.key))}:${String(ctx.join('plans'))}`)),
      lookup('names', late),
      join('plans', late),
      persist(codecs.string),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', codecServices });
    const running = processor.run();
    await processor.waitForReady();
    await expect.poll(() => processor.get('k')).toBe('o1:Kay:pro');
    await processor.stop();
    await running;
  });

  it('a bind failure fails the start: processor run, view run and emits reject with the CodecBindError', async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 1 } });
    kafka.createTopic('in', { partitions: 1 });
    const late = lateCodec([], () => new Error('no registry'));
    const processor = new Processor(defineGroup<Ctx>('bad', input('in', late, () => undefined)), { kafka, logger: silentLogger });
    const running = processor.run();
    await expect(processor.waitForReady()).rejects.toThrow(/stopped before it was ready/);
    await expect(running).rejects.toMatchObject({ code: 'GOKA_CODEC_BIND', group: 'bad', topic: 'in' });
    expect(processor.state).toBe('stopped');
    const view = new View('in', late, { kafka, logger: silentLogger });
    await expect(view.run()).rejects.toBeInstanceOf(CodecBindError);
    expect(view.state).toBe('idle');
    const emitter = new Emitter('in', late, { kafka, logger: silentLogger });
    await expect(emitter.emit('k', 'v')).rejects.toMatchObject({ code: 'GOKA_CODEC_BIND', topic: 'in', group: undefined });
    await expect(emitter.start()).rejects.toBeInstanceOf(CodecBindError);
    await expect(emitter.transaction((tx) => tx.emit('k', 'v'))).rejects.toBeInstanceOf(CodecBindError);
    await emitter.finish();
  });

  it('emits waiting for the binding when finish is called are still sent', async () => {
    const kafka = new MemoryKafka({ createTopics: { partitions: 1 } });
    const emitter = new Emitter('out', lateCodec([]), { kafka, logger: silentLogger, codecServices: { tag: 'f' } });
    const sent = emitter.emit('k', 'v');
    const finished = emitter.finish();
    await expect(emitter.emit('k', 'late')).rejects.toMatchObject({ code: 'GOKA_EMITTER_CLOSED' });
    await sent;
    await finished;
    expect(kafka.read('out', 0).map((m) => m.value?.toString())).toEqual(['f:out|v']);
  });
});
