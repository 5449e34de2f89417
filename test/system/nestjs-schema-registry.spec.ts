import type { ProcessContext } from '@goka/core';
import { GokaModule, Input, Persist, Processor } from '@goka/nestjs';
import { avro, SchemaRegistryClient } from '@goka/schema-registry';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { afterAll, it } from 'vitest';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { USER_SCHEMA, visitTwiceAndRead, VISITS_SCHEMA } from '../support/nest-visits.js';
import type { User, Visits } from '../support/nest-visits.js';
import { useRegistry } from '../support/schema-registry.js';

/**
 * Schema Registry codecs in Nest decorators (issue 20), on the real broker and registry. Decorators
 * take their codec when the class is defined, and a schema codec is created asynchronously (it
 * registers its schema first): the module that defines the codecs awaits them at its top level (ESM),
 * so `@Input`, `@Persist`, `registerView` and `registerEmitter` get ready codecs.
 */
const registry = await useRegistry();
const client = new SchemaRegistryClient({ url: registry.url });
const topic = uniqueName('nest-sr-users');
const group = uniqueName('nest-sr');
const users = await avro<User>({
  registry: client,
  topic,
  schema: USER_SCHEMA,
});
const visits = await avro<Visits>({
  registry: client,
  topic: `${group}-table`,
  schema: VISITS_SCHEMA,
});

@Processor(group)
@Persist(visits)
class VisitsProcessor {
  @Input(topic, users)
  visit(user: User, ctx: ProcessContext<Visits>): void {
    ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1, plan: user.plan });
  }
}

@Module({
  imports: [
    GokaModule.forRoot({ brokers: systemBrokers(), logger: false, topics: { create: true, partitions: 2 }, waitForRecovery: { timeoutMs: 90_000 } }),
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

it('runs a decorated processor with an Avro input and an Avro table, an injected emitter and view', async () => {
  await visitTwiceAndRead(AppModule, topic, group, (started) => (app = started));
});
