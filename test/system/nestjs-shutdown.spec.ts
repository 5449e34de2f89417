import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, GokaRegistry, Input, Persist, Processor } from '@goka/nestjs';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaClient, systemBrokers, uniqueName } from '../support/kafka.js';

function deferred<T = void>(): { readonly promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Graceful shutdown of a Nest application on the real broker: a message still in its handler when
 * `app.close()` begins finishes, and its offset is committed (read back with kafkajs' admin).
 */
describe('NestJS graceful shutdown on a real broker', () => {
  const brokers = systemBrokers();
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('lets the in-flight message finish and commits it', async () => {
    const topic = uniqueName('nest-shutdown-in');
    const group = uniqueName('nest-shutdown');
    const client = kafkaClient(brokers, group);
    const admin = client.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

      const inFlight = deferred<AbortSignal>();
      const release = deferred();
      const processed: string[] = [];

      @Processor(group, { initialOffset: 'oldest' })
      @Persist(codecs.int64)
      class SlowProcessor {
        @Input(topic, codecs.string)
        async count(message: string, ctx: ProcessContext<number>): Promise<void> {
          if (message === 'slow') {
            inFlight.resolve(ctx.signal);
            await release.promise;
          }
          ctx.setValue((ctx.value() ?? 0) + 1);
          processed.push(message);
        }
      }

      const moduleRef = await Test.createTestingModule({
        imports: [GokaModule.forRoot({ brokers, clientId: group, logger: false, waitForRecovery: { timeoutMs: 90_000 } })],
        providers: [SlowProcessor],
      }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      app.enableShutdownHooks();
      await app.init();
      expect(app.get(GokaRegistry).isReady()).toBe(true);

      const producer = client.producer();
      await producer.connect();
      await producer.send({ topic, messages: ['a', 'b', 'c', 'slow'].map((value) => ({ key: 'k', value, partition: 0 })) });
      await producer.disconnect();

      const signal = await inFlight.promise;
      expect(processed).toEqual(['a', 'b', 'c']);
      const closing = app.close();
      app = undefined;
      await aborted(signal); // shutdown has begun: the processor's generation is aborted
      release.resolve();
      await closing;

      expect(processed).toEqual(['a', 'b', 'c', 'slow']);
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets?.partitions).toEqual([{ partition: 0, offset: '4', metadata: null }]);
    } finally {
      await admin.disconnect();
    }
  });
});
