#!/usr/bin/env node
/**
 * `pnpm bench:nest-callbacks`: what `GokaCallbackFactory` costs per message (issue 17, item 3). The
 * same `@Input` handler is called through
 * - `methodCallback` on the same instance, the direct call that a graph built without Nest's enhancers uses (baseline);
 * - the callback `GokaCallbackFactory` makes in an application with **no enhancer at all** (the fast
 *   path: it must cost nothing over the baseline);
 * - the callback it makes when the application has **one global no-op interceptor** (`APP_INTERCEPTOR`),
 *   i.e. Nest's RPC execution context (guards, interceptors, pipes, filters), for comparison.
 * Rounds are interleaved (the order rotates each round); each variant's median ns per call is printed with its ratio to the baseline.
 * No broker: the handler is called with a stand-in `ProcessContext` (`value`/`setValue` on a number).
 */
import 'reflect-metadata';
import { codecs, MemoryKafka } from '@goka/core';
import type { ProcessCallback } from '@goka/core';
import { GokaCallbackFactory, GokaMetadataAccessor, GokaModule, Input, methodCallback, Persist, Processor } from '@goka/nestjs';
import type { GokaGraphContext } from '@goka/nestjs';
import { Injectable, Module } from '@nestjs/common';
import type { CallHandler, DynamicModule, ExecutionContext, NestInterceptor, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { runMain } from './support/run-main.js';

interface CountContext {
  value(): number | undefined;
  setValue(value: number): void;
}

@Processor('bench-count')
@Persist(codecs.int64)
class CountProcessor {
  @Input('bench-input', codecs.string)
  count(_message: string, ctx: CountContext): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

@Injectable()
class NoopInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

type Callback = ProcessCallback<unknown, GokaGraphContext>;

@Module({})
class BenchModule {}

async function factoryCallback(providers: Provider[]): Promise<{ callback: Callback; baseline: Callback; close: () => Promise<void> }> {
  const root: DynamicModule = {
    module: BenchModule,
    imports: [GokaModule.forRoot({ kafka: new MemoryKafka(), manualRegistration: true })],
    providers: [CountProcessor, ...providers],
  };
  const app = await NestFactory.createApplicationContext(root, { logger: false, abortOnError: false });
  const instance = app.get(CountProcessor);
  const [metadata] = app.get(GokaMetadataAccessor).getHandlers(instance.count);
  if (metadata === undefined) throw new Error('no @Input metadata on CountProcessor.count');
  const definition = { group: 'bench-count', className: 'CountProcessor', instance, options: {}, edges: [], handlers: [] };
  const callback = app.get(GokaCallbackFactory).create(definition, { methodName: 'count', metadata });
  const baseline = methodCallback(definition, { methodName: 'count', metadata });
  return { callback, baseline, close: () => app.close() };
}

/** Calls `callback` `calls` times (awaiting only what returns a promise); ns per call. */
async function time(callback: Callback, calls: number): Promise<number> {
  let value = 0;
  const ctx = { value: () => value, setValue: (next: number) => void (value = next) } as unknown as GokaGraphContext;
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const result = callback(ctx, 'message');
    if (result !== undefined) await result;
  }
  const ns = Number(process.hrtime.bigint() - started) / calls;
  if (value !== calls) throw new Error(`expected ${calls} calls, counted ${value}`);
  return ns;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(args: readonly string[]): Promise<number> {
  const calls = Number(args[args.indexOf('--calls') + 1] ?? '') || 1_000_000;
  const rounds = Number(args[args.indexOf('--rounds') + 1] ?? '') || 5;
  const plain = await factoryCallback([]);
  const enhanced = await factoryCallback([{ provide: APP_INTERCEPTOR, useClass: NoopInterceptor }]);
  const variants: Array<[string, Callback, number]> = [
    ['methodCallback (baseline)', plain.baseline, calls],
    ['factory, app without enhancers', plain.callback, calls],
    ['factory, one global interceptor', enhanced.callback, Math.ceil(calls / 20)],
  ];
  const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (const [, callback, n] of variants) await time(callback, Math.ceil(n / 10)); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round, so that neither variant always runs first after the slow one.
    for (let i = 0; i < variants.length; i++) {
      const [name, callback, n] = variants[(i + round) % variants.length]!;
      samples.get(name)?.push(await time(callback, n));
    }
  }
  await plain.close();
  await enhanced.close();
  const baseSamples = samples.get(variants[0]![0]) ?? [];
  const base = median(baseSamples);
  const baseBest = Math.min(...baseSamples);
  console.log(`GokaCallbackFactory per call over ${rounds} interleaved rounds (Node ${process.version}); median, and best round`);
  for (const [name, , n] of variants) {
    const ns = median(samples.get(name) ?? []);
    const best = Math.min(...(samples.get(name) ?? []));
    console.log(
      `  ${name.padEnd(34)} ${ns.toFixed(1).padStart(8)} ns/call ${(ns / base).toFixed(2).padStart(7)}×   best ${best.toFixed(1).padStart(8)} ns/call ${(best / baseBest).toFixed(2).padStart(7)}×  (${n} calls/round)`,
    );
  }
  console.log(`  fast path is the baseline function itself: ${plain.callback.toString() === plain.baseline.toString()}`);
  return 0;
}

runMain(main);
