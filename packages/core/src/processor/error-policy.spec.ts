import { describe, expect, it } from 'vitest';
import type { Codec } from '../codec/codec.js';
import { codecs } from '../codec/codecs.js';
import type { ProcessContext } from '../context/process-context.js';
import { Emitter } from '../emitter/emitter.js';
import { CodecError } from '../errors/codec-error.js';
import { GokaError } from '../errors/goka-error.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { ProcessingError } from '../errors/processor-error.js';
import { defineGroup } from '../graph/define-group.js';
import { input, join, output, persist } from '../graph/edges.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { partitionFor } from '../partitioner/partitioner.js';
import { deadLetter, retry } from '../policy/error-policy.js';
import type { ErrorPolicy } from '../policy/error-policy.js';
import type { GokaLogger } from '../util/logger.js';
import { silentLogger } from '../util/logger.js';
import { DEAD_LETTER_HEADERS } from './dead-letter-record.js';
import { Processor } from './processor.js';
import type { ProcessorOptions } from './processor-options.js';

type Ctx = ProcessContext<number>;

/** A logger that keeps its warnings. */
function warnings(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  return { logger: { ...silentLogger, warn: (message) => lines.push(message) }, lines };
}

async function send(kafka: MemoryKafka, topic: string, records: ReadonlyArray<readonly [string, string]>, headers?: Record<string, Buffer>): Promise<void> {
  const emitter = new Emitter(topic, codecs.string, { kafka, logger: silentLogger });
  for (const [key, value] of records) await emitter.emit(key, value, headers === undefined ? undefined : { headers });
  await emitter.finish();
}

/**
 * Counts `clicks` (int64 values) per key and echoes each to `out`; the value `13` throws after it
 * wrote (so a rollback is visible), a value that is no decimal integer does not decode.
 */
function counter(group: string, edgeError?: ErrorPolicy) {
  return defineGroup<Ctx>(
    group,
    input(
      'clicks',
      codecs.int64,
      (ctx: Ctx, message: number) => {
        ctx.setValue((ctx.value() ?? 0) + message);
        ctx.emit('out', ctx.key, String(message));
        if (message === 13) throw new TypeError('13 is unlucky');
      },
      edgeError === undefined ? {} : { onError: edgeError },
    ),
    output('out', codecs.string),
    persist(codecs.int64),
  );
}

function setup(partitions = 1): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('clicks', { partitions });
  kafka.createTopic('out', { partitions });
  return kafka;
}

/** Runs `processor` until `kafka` went idle after the input was sent, then stops it; resolves with its run's outcome. */
async function runOver(kafka: MemoryKafka, processor: Processor<number>, produce: () => Promise<void>): Promise<unknown> {
  const running = processor.run().then(
    () => undefined,
    (error: unknown) => error,
  );
  await processor.waitForReady();
  await produce();
  await Promise.race([kafka.idle(), running]);
  await processor.stop();
  return running;
}

function values(kafka: MemoryKafka, topic: string, partition = 0): Array<string | undefined> {
  return kafka.read(topic, partition).map((record) => record.value?.toString());
}

/** Two keys on different partitions of two (Goka's FNV-1a partitioner). */
function twoPartitionKeys(): [string, string] {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  const first = keys[0] as string;
  return [first, keys.find((key) => partitionFor(key, 2) !== partitionFor(first, 2)) as string];
}

const text = (headers: Record<string, Buffer>, name: string): string | undefined => headers[name]?.toString();

describe('error policies (onError) on MemoryKafka', () => {
  const options = (kafka: MemoryKafka, extra: Partial<ProcessorOptions> = {}): ProcessorOptions => ({
    kafka,
    logger: silentLogger,
    initialOffset: 'oldest',
    ...extra,
  });

  it("'skip' logs the record, commits past it and applies nothing the failed callback wrote", async () => {
    const kafka = setup();
    const { logger, lines } = warnings();
    const processor = new Processor(counter('skipper'), options(kafka, { logger, onError: 'skip' }));
    const outcome = await runOver(kafka, processor, () =>
      send(kafka, 'clicks', [
        ['k', '1'],
        ['k', 'not a number'],
        ['k', '13'],
        ['k', '2'],
      ]),
    );
    expect(outcome).toBeUndefined();
    expect(values(kafka, 'out')).toEqual(['1', '2']);
    expect(values(kafka, 'skipper-table')).toEqual(['1', '3']);
    expect(kafka.group('skipper').offsets().get('clicks')?.get(0)).toBe(4);
    const stats = await processor.stats();
    expect(stats.errorPolicy).toEqual({ retried: 0, skipped: 2, deadLettered: 0 });
    expect(stats.callbackErrors).toBe(2);
    expect(lines.join('\n')).toMatch(/skipped clicks\/0@1 \(key "k"\) of group skipper after 0 run\(s\): CodecError/);
    expect(lines.join('\n')).toMatch(/skipped clicks\/0@2 \(key "k"\) of group skipper after 1 run\(s\): TypeError: 13 is unlucky/);
  });

  it('deadLetter() writes the original bytes and headers plus goka-dlq-* headers to <group>-dlq, created at start', async () => {
    const kafka = setup(2);
    const processor = new Processor(counter('lettered'), options(kafka, { onError: deadLetter() }));
    const running = processor.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    await processor.waitForReady();
    expect(kafka.describeTopic('lettered-dlq')?.partitions).toHaveLength(2);
    const before = Date.now();
    await send(kafka, 'clicks', [['k', '13']], { trace: Buffer.from('abc') });
    await send(kafka, 'clicks', [
      ['k', 'x1'],
      ['k', '5'],
    ]);
    await kafka.idle();
    await processor.stop();
    expect(await running).toBeUndefined();
    const partition = partitionFor('k', 2);
    const dlq = kafka.read('lettered-dlq', partition);
    expect(dlq.map((record) => [record.key?.toString(), record.value?.toString()])).toEqual([
      ['k', '13'],
      ['k', 'x1'],
    ]);
    const [thrown, undecodable] = dlq.map((record) => record.headers as Record<string, Buffer>);
    expect(text(thrown ?? {}, 'trace')).toBe('abc');
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.topic)).toBe('clicks');
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.partition)).toBe(String(partition));
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.offset)).toBe('0');
    expect(Number(text(thrown ?? {}, DEAD_LETTER_HEADERS.timestamp))).toBeGreaterThanOrEqual(before - 1000);
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.group)).toBe('lettered');
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.errorClass)).toBe('TypeError');
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.errorMessage)).toBe('13 is unlucky');
    expect(text(thrown ?? {}, DEAD_LETTER_HEADERS.attempts)).toBe('1');
    expect(text(undecodable ?? {}, DEAD_LETTER_HEADERS.errorClass)).toBe('CodecError');
    expect(text(undecodable ?? {}, DEAD_LETTER_HEADERS.offset)).toBe('1');
    expect(text(undecodable ?? {}, DEAD_LETTER_HEADERS.attempts)).toBe('0');
    expect(values(kafka, 'out', partition)).toEqual(['5']);
    expect(kafka.group('lettered').offsets().get('clicks')?.get(partition)).toBe(3);
    expect((await processor.stats()).errorPolicy.deadLettered).toBe(2);
  });

  it('commits past a dead-lettered record only once the dead-letter topic acknowledged it', async () => {
    const kafka = setup();
    const processor = new Processor(counter('acked'), options(kafka, { onError: deadLetter({ topic: 'acked-errors' }), produceRetry: { timeoutMs: 0 } }));
    const running = processor.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    await processor.waitForReady();
    kafka.setProduceFault((records) => (records.some((record) => record.topic === 'acked-errors') ? new Error('dead-letter topic unavailable') : undefined));
    await send(kafka, 'clicks', [
      ['k', '1'],
      ['k', '13'],
    ]);
    const error = await running;
    expect(error).toBeInstanceOf(ProcessingError);
    expect(kafka.read('acked-errors', 0)).toEqual([]);
    expect(kafka.group('acked').offsets().get('clicks')?.get(0) ?? 0).toBeLessThan(2);
  });

  it('a dead-letter topic that cannot be created stops the processor naming the record (nothing is dropped)', async () => {
    const kafka = setup();
    kafka.createTopic('no-dlq-table', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    // A policy function names its topic only at the failure; the topic manager may not create it.
    const processor = new Processor(counter('no-dlq', () => deadLetter({ topic: 'missing-dlq' })), options(kafka, { topicManager: { noCreate: true } }));
    const error = await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', '13']]));
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ group: 'no-dlq', topic: 'clicks', offset: 0, key: 'k' });
    expect(String((error as Error).message)).toMatch(/missing-dlq/);
    expect(kafka.group('no-dlq').offsets().get('clicks')?.get(0) ?? 0).toBe(0);
  });

  it('retry() runs the callback again after a backoff and applies only the run that succeeded', async () => {
    const kafka = setup();
    let runs = 0;
    const graph = defineGroup<Ctx>(
      'flaky',
      input(
        'clicks',
        codecs.string,
        (ctx: Ctx) => {
          runs += 1;
          ctx.setValue((ctx.value() ?? 0) + 1);
          if (runs < 3) throw new Error(`transient failure ${runs}`);
        },
        { onError: retry({ attempts: 3, backoffMs: 1 }) },
      ),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, options(kafka));
    expect(await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', 'a']]))).toBeUndefined();
    expect(runs).toBe(3);
    expect(values(kafka, 'flaky-table')).toEqual(['1']);
    expect((await processor.stats()).errorPolicy).toEqual({ retried: 2, skipped: 0, deadLettered: 0 });
  });

  it('retry() with a deadLetter() fallback counts its attempts; decode errors skip the retries', async () => {
    const kafka = setup();
    const policy = retry({ attempts: 3, backoffMs: 1, fallback: deadLetter() });
    const processor = new Processor(counter('patient', policy), options(kafka));
    expect(await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', '13'], ['k', 'x'], ['k', '1']]))).toBeUndefined();
    const dlq = kafka.read('patient-dlq', 0).map((record) => record.headers as Record<string, Buffer>);
    expect(dlq.map((headers) => text(headers, DEAD_LETTER_HEADERS.attempts))).toEqual(['3', '0']);
    expect((await processor.stats()).errorPolicy).toEqual({ retried: 2, skipped: 0, deadLettered: 2 });
    expect(values(kafka, 'out')).toEqual(['1']);
  });

  it('retry() retries a decode error whose cause is retriable (a schema not loaded yet), then decodes', async () => {
    const kafka = setup();
    let decodes = 0;
    const notYet: Codec<string> = {
      name: 'registry-backed',
      encode: (value) => Buffer.from(value),
      decode: (bytes) => {
        decodes += 1;
        if (decodes < 3) throw new GokaError('GOKA_CODEC', 'schema not loaded yet', { retriable: true });
        return bytes.toString();
      },
    };
    const graph = defineGroup<Ctx>(
      'waits-for-schema',
      input('clicks', notYet, (ctx: Ctx) => ctx.setValue((ctx.value() ?? 0) + 1), { onError: retry({ attempts: 5, backoffMs: 1 }) }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, options(kafka));
    expect(await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', 'a']]))).toBeUndefined();
    expect(decodes).toBe(3);
    expect(values(kafka, 'waits-for-schema-table')).toEqual(['1']);
    expect((await processor.stats()).errorPolicy).toEqual({ retried: 2, skipped: 0, deadLettered: 0 });
  });

  it('a retry wait holds its partition only: other partitions go on, and stop() ends the wait without committing the record', async () => {
    const kafka = setup(2);
    let release: () => void = () => undefined;
    const otherDone = new Promise<void>((resolve) => {
      release = resolve;
    });
    const graph = defineGroup<Ctx>(
      'holding',
      input('clicks', codecs.string, (ctx: Ctx, message: string) => {
        if (message === 'stuck') throw new Error('still failing');
        ctx.setValue(1);
        release();
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, options(kafka, { onError: retry({ attempts: 1_000, backoffMs: 60_000 }) }));
    const running = processor.run().then(
      () => undefined,
      (error: unknown) => error,
    );
    await processor.waitForReady();
    const [stuckKey, otherKey] = twoPartitionKeys();
    await send(kafka, 'clicks', [[stuckKey, 'stuck']]);
    await send(kafka, 'clicks', [[otherKey, 'fine']]);
    await otherDone;
    expect(await processor.get(otherKey)).toBe(1);
    await processor.stop();
    expect(await running).toBeUndefined();
    expect(kafka.group('holding').offsets().get('clicks')?.get(partitionFor(stuckKey, 2)) ?? 0).toBe(0);
    expect(kafka.group('holding').offsets().get('clicks')?.get(partitionFor(otherKey, 2))).toBe(1);
  });

  it('a function decides per error; an edge policy wins over the processor policy', async () => {
    const kafka = setup();
    const decided: string[] = [];
    const byError: ErrorPolicy = (error, record) => {
      decided.push(`${record.offset}:${record.decodeFailed}`);
      return error instanceof CodecError ? 'skip' : deadLetter();
    };
    const processor = new Processor(counter('chooser', byError), options(kafka, { onError: 'fail' }));
    expect(await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', 'x'], ['k', '13'], ['k', '2']]))).toBeUndefined();
    expect(decided).toEqual(['0:true', '1:false']);
    expect(kafka.read('chooser-dlq', 0).map((r) => r.value?.toString())).toEqual(['13']);
    expect(values(kafka, 'chooser-table')).toEqual(['2']);
  });

  it("'fail' (the default) stops with the ProcessingError; a policy function that throws stops too", async () => {
    const kafka = setup();
    const processor = new Processor(counter('strict'), options(kafka));
    const error = await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', '13']]));
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ group: 'strict', topic: 'clicks', offset: 0, key: 'k' });

    const kafka2 = setup();
    const broken = new Processor(
      counter('broken', () => {
        throw new Error('policy bug');
      }),
      options(kafka2),
    );
    const error2 = await runOver(kafka2, broken, () => send(kafka2, 'clicks', [['k', '13']]));
    expect(error2).toBeInstanceOf(ProcessingError);
    expect(String((error2 as Error).message)).toMatch(/policy bug/);
  });

  it('a table or join value that does not decode stops the processor whatever the input policy', async () => {
    const kafka = setup();
    kafka.createTopic('profiles', { partitions: 1 });
    await send(kafka, 'profiles', [['k', 'not a number']]);
    const graph = defineGroup<Ctx>(
      'joined',
      input('clicks', codecs.string, (ctx: Ctx) => {
        ctx.setValue(ctx.join<number>('profiles') ?? 0);
      }),
      join('profiles', codecs.int64),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, options(kafka, { onError: 'skip' }));
    const error = await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', 'a']]));
    expect(error).toBeInstanceOf(ProcessingError);
    expect(String((error as Error).message)).toMatch(/profiles/);
    expect((error as ProcessingError).cause).toBeInstanceOf(CodecError);
  });

  it('a commit deferred by a run that failed is void: the skipped record is committed without it', async () => {
    const kafka = setup();
    let late: (() => void) | undefined;
    const graph = defineGroup<Ctx>(
      'deferring',
      input('clicks', codecs.string, (ctx: Ctx, message: string) => {
        late = ctx.deferCommit();
        if (message === 'bad') throw new Error('bad');
        late();
      }),
      persist(codecs.int64),
    );
    const processor = new Processor(graph, options(kafka, { onError: 'skip' }));
    expect(await runOver(kafka, processor, () => send(kafka, 'clicks', [['k', 'bad'], ['k', 'good']]))).toBeUndefined();
    late?.();
    expect(kafka.group('deferring').offsets().get('clicks')?.get(0)).toBe(2);
  });

  it('a record Kafka refuses (too large) stops the processor naming the message that wrote it, not the batch\'s first', async () => {
    const kafka = setup();
    const graph = defineGroup<ProcessContext<string>>(
      'sizes',
      input('clicks', codecs.string, (ctx: ProcessContext<string>, message: string) => ctx.setValue(message === 'big' ? 'x'.repeat(5_000) : message)),
      persist(codecs.string),
    );
    // One send holds both records: the failure is asynchronous, after both callbacks ran.
    kafka.produce([
      { topic: 'clicks', partition: 0, key: Buffer.from('a'), value: Buffer.from('small') },
      { topic: 'clicks', partition: 0, key: Buffer.from('big'), value: Buffer.from('big') },
    ]);
    const processor = new Processor(graph, options(kafka, { onError: 'skip', topicManager: { tableConfig: { 'max.message.bytes': '1000' } } }));
    const error = await processor.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ topic: 'clicks', offset: 1, key: 'big', async: true });
    expect(String((error as Error).message)).toMatch(/key "big" \(\d+ bytes\)/);
  });

  it('refuses what is not a policy, naming where it was given', () => {
    const bad = 'ignore' as unknown as ErrorPolicy;
    expect(() => input('clicks', codecs.string, () => undefined, { onError: bad })).toThrow(GraphValidationError);
    expect(() => input('clicks', codecs.string, () => undefined, { onError: bad })).toThrow(/input\("clicks"\): onError must be/);
    expect(() => retry({ attempts: 0 })).toThrow(/attempts must be an integer ≥ 1/);
    expect(() => retry({ fallback: retry() as unknown as 'fail' })).toThrow(/retry\(\{ fallback \}\): onError must be 'fail', 'skip' or deadLetter\(\)/);
    expect(() => deadLetter({ topic: ' ' })).toThrow(/needs a topic name/);
    expect(() => new Processor(counter('opts'), { kafka: setup(), onError: bad })).toThrow(/the options of processor "opts": onError must be/);
  });
});
