import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, GokaRegistry, Input, Persist, Processor } from '@goka/nestjs';
import { GokaTransport } from '@goka/nestjs/microservices';
import { Catch, Injectable, UseFilters, UseInterceptors } from '@nestjs/common';
import type { ArgumentsHost, CallHandler, ExceptionFilter, ExecutionContext, INestMicroservice, NestInterceptor } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

class PoisonError extends Error {}

/** What the enhancers saw: the RPC data and the Goka context of each message. */
@Injectable()
class Journal {
  readonly intercepted: Array<{ type: string; data: unknown; key: string; offset: number }> = [];
  readonly caught: Array<{ message: string; key: string }> = [];
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  constructor(private readonly journal: Journal) {}
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const ctx = rpc.getContext<ProcessContext<number>>();
    this.journal.intercepted.push({ type: context.getType(), data: rpc.getData<unknown>(), key: ctx.key, offset: ctx.offset });
    return next.handle();
  }
}

/** Skips a poison message (returns `null`: handled, so the message is committed). */
@Catch(PoisonError)
@Injectable()
class SkipPoisonFilter implements ExceptionFilter {
  constructor(private readonly journal: Journal) {}
  catch(error: PoisonError, host: ArgumentsHost): null {
    const ctx = host.switchToRpc().getContext<ProcessContext<number>>();
    this.journal.caught.push({ message: error.message, key: ctx.key });
    return null;
  }
}

/**
 * An interceptor and an exception filter on an `@Input` handler on the real broker, with the
 * processors run by the `GokaTransport` microservice strategy: `listen` starts them, the enhancers
 * see the message and the `ProcessContext` through `switchToRpc()`, the filter skips a poison
 * message, and `close` stops the processor with every offset (the skipped one too) committed.
 */
describe('NestJS enhancers on @Input handlers, as a microservice, on a real broker', () => {
  const brokers = systemBrokers();
  let app: INestMicroservice | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs the interceptor and the filter in the RPC context and commits the skipped message', async () => {
    const topic = uniqueName('nest-enhancers-in');
    const group = uniqueName('nest-enhancers');
    const client = kafkaClient(brokers, group);
    const admin = client.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      let processedAll!: () => void;
      const allProcessed = new Promise<void>((resolve) => {
        processedAll = resolve;
      });

      @Processor(group, { initialOffset: 'oldest' })
      @Persist(codecs.int64)
      @UseFilters(SkipPoisonFilter)
      class OrdersProcessor {
        @Input(topic, codecs.string)
        @UseInterceptors(RecordingInterceptor)
        count(order: string, ctx: ProcessContext<number>): void {
          if (order === 'end') processedAll();
          if (order === 'poison') throw new PoisonError(`cannot take order of ${ctx.key}`);
          ctx.setValue((ctx.value() ?? 0) + 1);
        }
      }

      const moduleRef = await Test.createTestingModule({
        imports: [
          GokaModule.forRoot({ brokers, clientId: group, logger: false, manualRegistration: true, waitForRecovery: { timeoutMs: 90_000 } }),
        ],
        providers: [Journal, RecordingInterceptor, OrdersProcessor],
      }).compile();
      const transport = new GokaTransport();
      app = moduleRef.createNestMicroservice({ strategy: transport, logger: false });
      await app.init();
      const registry = app.get(GokaRegistry);
      expect(registry.status().processors[group]?.phase).toBe('created');
      await app.listen(); // the strategy starts the processor and waits for its recovery
      expect(registry.isReady()).toBe(true);

      const producer = client.producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: (
          [
            ['alice', 'book'],
            ['bob', 'poison'],
            ['alice', 'end'],
          ] as const
        ).map(([key, value]) => ({ key, value, partition: 0 })),
      });
      await producer.disconnect();
      await allProcessed;

      expect(app.get(Journal).intercepted).toEqual([
        { type: 'rpc', data: 'book', key: 'alice', offset: 0 },
        { type: 'rpc', data: 'poison', key: 'bob', offset: 1 },
        { type: 'rpc', data: 'end', key: 'alice', offset: 2 },
      ]);
      expect(app.get(Journal).caught).toEqual([{ message: 'cannot take order of bob', key: 'bob' }]);
      expect(registry.status().processors[group]?.phase).toBe('ready');

      await app.close();
      app = undefined;
      expect(registry.status().processors[group]?.phase).toBe('stopped');
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets?.partitions).toEqual([{ partition: 0, offset: '3', metadata: null }]);
    } finally {
      await admin.disconnect();
    }
  });
});
