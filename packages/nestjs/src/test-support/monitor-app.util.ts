import { codecs, MemoryKafka } from '@goka/core';
import type { Emitter, ProcessContext } from '@goka/core';
import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { Input, Lookup, Output, Persist, Processor, Visitor } from '../decorators/index.js';
import { GokaModule } from '../goka.module.js';
import { GokaRegistry } from '../goka.registry.js';
import { getEmitterToken } from '../goka.tokens.js';
import type { GokaMonitorModuleOptions } from '../monitor/interfaces/monitor-options.interface.js';
import { GokaMonitorModule } from '../monitor/monitor.module.js';
import { deferred } from './signals.util.js';

/**
 * The app of the monitor's module specs: the clicks processor (group table with a bigint, an
 * output, a `reset` visitor), its view and emitter on MemoryKafka, and the monitor; plus the
 * processors and guard some specs add.
 */

export interface Score {
  readonly clicks: number;
  readonly big: bigint;
}

export const scoreCodec = {
  name: 'score',
  encode: (value: Score) => Buffer.from(JSON.stringify({ clicks: value.clicks, big: String(value.big) })),
  decode: (bytes: Buffer): Score => {
    const parsed = JSON.parse(bytes.toString()) as { clicks: number; big: string };
    return { clicks: parsed.clicks, big: BigInt(parsed.big) };
  },
};

/** Awaited by the `reset` visitor, so a spec can hold a visit open (resolve it to let visits finish). */
export let visitGate = deferred();

/** A fresh gate for the next spec. */
export function resetVisitGate(): void {
  visitGate = deferred();
}

@Processor('clicks')
@Persist(scoreCodec)
@Output('clicks-out', codecs.string)
export class ClicksProcessor {
  @Input('clicks', codecs.string)
  count(text: string, ctx: ProcessContext<Score>): void {
    const clicks = (ctx.value()?.clicks ?? 0) + 1;
    ctx.setValue({ clicks, big: 2n ** 60n });
    ctx.emit('clicks-out', ctx.key, text);
  }

  @Visitor('reset')
  async reset(meta: { to?: number } | undefined, ctx: ProcessContext<Score>): Promise<void> {
    await visitGate.promise;
    ctx.setValue({ clicks: meta?.to ?? 0, big: 0n });
  }
}

/** A stateless processor with a lookup of the clicks table (its view shows in the processor's details). */
@Processor('greeter')
@Lookup('clicks-table', scoreCodec)
export class GreeterProcessor {
  greeted = 0;

  @Input('clicks-out', codecs.string)
  greet(text: string): void {
    if (text === 'boom') throw new Error('greeter cannot greet boom');
    this.greeted += 1;
  }
}

/** Skips what it cannot greet (error policy `skip`): the monitor counts it. */
@Processor('skipper', { onError: 'skip' })
export class SkippingProcessor {
  @Input('clicks-out', codecs.string)
  greet(text: string): void {
    if (text === 'boom') throw new Error('skipper skips boom');
  }
}

/** Counts clicks exactly once (Kafka transactions): the monitor shows its transactions. */
@Processor('exact', { guarantee: 'exactly-once', commitIntervalMs: 10 })
@Persist(codecs.int64)
export class ExactCounter {
  @Input('clicks-out', codecs.string)
  count(_click: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

@Injectable()
export class DenyWithoutToken implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
    return headers['x-token'] === 'secret';
  }
}

export function kafkaWithTopics(partitions = 2): MemoryKafka {
  const kafka = new MemoryKafka();
  kafka.createTopic('clicks', { partitions });
  kafka.createTopic('clicks-out', { partitions });
  return kafka;
}

/** What a spec adds to the app: providers, manual start, a global prefix, its own monitor module. */
export interface MonitorAppExtras {
  readonly providers?: unknown[];
  readonly manual?: boolean;
  readonly prefix?: string;
  readonly monitorModule?: ReturnType<typeof GokaMonitorModule.forRoot>;
}

/**
 * Starts the app; `track` gets it before `init`, so that the spec closes it even when `init` fails.
 */
export async function startMonitorApp(
  track: (app: INestApplication) => void,
  kafka: MemoryKafka,
  monitor: GokaMonitorModuleOptions = {},
  extra: MonitorAppExtras = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      GokaModule.forRoot({
        kafka,
        logger: false,
        manualRegistration: extra.manual ?? false,
        processorDefaults: { initialOffset: 'oldest', commitIntervalMs: 5 },
        waitForRecovery: extra.manual === true ? false : { timeoutMs: 10_000 },
      }),
      GokaModule.registerView({ group: 'clicks', codec: scoreCodec }),
      GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
      extra.monitorModule ?? GokaMonitorModule.forRoot({ intervalMs: 60_000, metrics: { registry: new Registry() }, ...monitor }),
    ],
    providers: [ClicksProcessor, ...((extra.providers ?? []) as [])],
  }).compile();
  const created = moduleRef.createNestApplication({ logger: false });
  track(created);
  if (extra.prefix !== undefined) created.setGlobalPrefix(extra.prefix);
  await created.init();
  return created;
}

/** Emits `users` clicks and waits until the processor consumed them and the view applied them. */
export async function click(target: INestApplication, users: readonly string[]): Promise<void> {
  const emitter = target.get<Emitter<string>>(getEmitterToken('clicks'));
  const registry = target.get(GokaRegistry);
  const view = registry.getView<Score>('clicks-table');
  // Every user's count must reach what it was plus this call's clicks (users may repeat across calls).
  const expected = new Map<string, number>();
  for (const user of users) expected.set(user, (expected.get(user) ?? (await view.get(user))?.clicks ?? 0) + 1);
  await Promise.all(users.map((user) => emitter.emit(user, 'click')));
  for (const [user, clicks] of expected) {
    for (;;) {
      if (((await view.get(user))?.clicks ?? 0) >= clicks) break;
      const error = registry.status().processors['clicks']?.error;
      if (error !== undefined) throw new Error(error);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
