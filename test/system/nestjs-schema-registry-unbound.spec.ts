import type { ProcessContext } from '@goka/core';
import { GokaModule, Input, Persist, Processor } from '@goka/nestjs';
import { avro, SchemaRegistryClient } from '@goka/schema-registry';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { afterAll, expect, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { USER_SCHEMA, visitTwiceAndRead, VISITS_SCHEMA } from '../support/nest-visits.js';
import type { User, Visits } from '../support/nest-visits.js';
import { useRegistry } from '../support/schema-registry.js';

/**
 * Registry settings once in `GokaModule.forRoot({ schemaRegistry: { url } })`, on the real broker and
 * registry: the codecs are created without registry and topic (no top-level await, no topic repeated);
 * each processor, view and emitter binds them to the module's registry and to its edge's topic when
 * it starts (`<topic>-value`, `<group>-table-value`).
 */
const topic = uniqueName('nest-sr-unbound-users');
const group = uniqueName('nest-sr-unbound');
const users = avro<User>({ schema: USER_SCHEMA });
const visits = avro<Visits>({ schema: VISITS_SCHEMA });

@Processor(group)
@Persist(visits)
class VisitsProcessor {
  @Input(topic, users)
  visit(user: User, ctx: ProcessContext<Visits>): void {
    ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1, plan: user.plan });
  }
}

const registry = await useRegistry();

@Module({
  imports: [
    GokaModule.forRoot({
      brokers: systemBrokers(),
      logger: false,
      topics: { create: true, partitions: 2 },
      waitForRecovery: { timeoutMs: 90_000 },
      schemaRegistry: { url: registry.url, timeoutMs: 5_000 },
    }),
    GokaModule.registerView({ group, codec: visits }),
    GokaModule.registerEmitter({ topic, codec: users }),
  ],
  providers: [VisitsProcessor],
})
class AppModule {}

let app: INestApplication | undefined;
afterAll(async () => {
  await app?.close();
  await registry.release();
});

it('binds unbound Avro codecs of @Input, @Persist, a view and an emitter to forRoot({ schemaRegistry: { url } })', async () => {
  await visitTwiceAndRead(AppModule, topic, group, (started) => (app = started));
  // registered once per subject, under the edges' topics
  const client = new SchemaRegistryClient({ url: registry.url });
  expect(await client.versions(`${topic}-value`)).toEqual([1]);
  expect(await client.versions(`${group}-table-value`)).toEqual([1]);
  expect(JSON.parse((await client.latest(`${group}-table-value`)).schema)).toMatchObject({ name: 'Visits' });
});
