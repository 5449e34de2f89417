import { codecs, defineGroup, input, persist, Processor, retry, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { avro, jsonSchema, protobuf, SchemaIncompatibleError, SchemaRegistryClient } from '@goka/schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { systemBrokers, uniqueName } from '../support/kafka.js';
import { useRegistry } from '../support/schema-registry.js';
import type { TestRegistry } from '../support/schema-registry.js';
import { adapterFor, createTopics, emitAll, FAST, readTopic, startReady, stopClean } from './processor-harness.js';

interface UserV1 {
  name: string;
}
interface UserV2 extends UserV1 {
  plan: string;
}
interface Visits {
  count: number;
  plan: string;
}
const USER_V1 = { type: 'record', name: 'User', namespace: 'goka.test', fields: [{ name: 'name', type: 'string' }] } as const;
const USER_V2 = { ...USER_V1, fields: [...USER_V1.fields, { name: 'plan', type: 'string', default: 'free' }] } as const;
const VISITS = {
  type: 'record',
  name: 'Visits',
  namespace: 'goka.test',
  fields: [
    { name: 'count', type: 'int' },
    { name: 'plan', type: 'string' },
  ],
} as const;

/**
 * Schema Registry codecs on the real broker and a real registry (Apicurio Registry 3.3.3, its
 * Confluent-compatible API; `pnpm registry up`, started here when none runs): issue 20.
 */
describe('schema registry codecs on a real broker and registry', () => {
  const brokers = systemBrokers();
  const kafka = adapterFor(brokers);
  let registry: TestRegistry;
  let client: SchemaRegistryClient;

  beforeAll(async () => {
    registry = await useRegistry();
    client = new SchemaRegistryClient({ url: registry.url });
  });
  afterAll(async () => {
    await registry.release();
  });

  /** Counts each user's visits in an Avro table, reading the Avro input with `userSchema`. */
  const visitsGroup = async (group: string, topic: string, userSchema: typeof USER_V1 | typeof USER_V2) =>
    defineGroup<ProcessContext<Visits>>(
      group,
      input(topic, await avro<UserV2>({ registry: client, topic, schema: userSchema }), (ctx, user) => {
        ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1, plan: user.plan ?? '(none)' });
      }),
      persist(await avro<Visits>({ registry: client, topic: `${group}-table`, schema: VISITS })),
    );

  it('runs a processor with an Avro input and an Avro table, read back by a view', async () => {
    const group = uniqueName('sr-avro');
    const topic = uniqueName('sr-users');
    await createTopics(brokers, [{ topic, partitions: 2 }]);
    const processor = new Processor(await visitsGroup(group, topic, USER_V2), { ...FAST, kafka });
    const running = await startReady(processor);
    const users = await avro<UserV2>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema: USER_V2 });
    await emitAll(kafka, topic, users, [
      ['ann', { name: 'ann', plan: 'pro' }],
      ['bob', { name: 'bob', plan: 'free' }],
      ['ann', { name: 'ann', plan: 'pro' }],
    ]);
    await eventually(async () => expect(await processor.get('ann')).toMatchObject({ count: 2, plan: 'pro' }));
    // the table's records are Avro in the wire format, under <group>-table-value
    const tableRecords = await readTopic(brokers, `${group}-table`);
    const tableCodec = await avro<Visits>({ registry: new SchemaRegistryClient({ url: registry.url }), topic: `${group}-table`, schema: VISITS, autoRegister: false });
    expect(tableRecords.every((r) => r.value?.[0] === 0 && r.value.readUInt32BE(1) === tableCodec.schemaId)).toBe(true);
    const view = new View(`${group}-table`, tableCodec, { kafka, logger: FAST.logger });
    const viewRun = view.run();
    await view.waitRunning();
    await eventually(async () => expect({ ...(await view.get('bob')) }).toEqual({ count: 1, plan: 'free' }));
    await view.stop();
    await viewRun;
    await stopClean(processor, running);
  });

  it('reads records written with v1 in a processor expecting v2, the added field defaulted', async () => {
    const group = uniqueName('sr-evolve');
    const topic = uniqueName('sr-users-v1');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const v1 = await avro<UserV1>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema: USER_V1 });
    await emitAll(kafka, topic, v1, [['cid', { name: 'cid' }]]);
    // v2 registers as version 2 of the subject (a compatible change: the new field has a default)
    const processor = new Processor(await visitsGroup(group, topic, USER_V2), { ...FAST, kafka });
    const running = await startReady(processor);
    await eventually(async () => expect(await processor.get('cid')).toMatchObject({ count: 1, plan: 'free' }));
    expect(await client.versions(`${topic}-value`)).toEqual([1, 2]);
    await stopClean(processor, running);
  });

  it('waits under retry() for a schema id registered after the processor started, instead of failing the record', async () => {
    const group = uniqueName('sr-late');
    const topic = uniqueName('sr-users-late');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const processorClient = new SchemaRegistryClient({ url: registry.url });
    const graph = defineGroup<ProcessContext<Visits>>(
      group,
      input(
        topic,
        await avro<UserV1 & { plan?: string }>({ registry: processorClient, topic, schema: USER_V1 }), // reads v2 records as v1
        (ctx, user) => ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1, plan: user.plan ?? '(none)' }),
        { onError: retry({ attempts: 10, backoffMs: 100, fallback: 'fail' }) },
      ),
      persist(await avro<Visits>({ registry: processorClient, topic: `${group}-table`, schema: VISITS })),
    );
    const processor = new Processor(graph, { ...FAST, kafka });
    const running = await startReady(processor);
    // another service registers v2 now: its id is unknown to the running processor's client
    const v2 = await avro<UserV2>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema: USER_V2 });
    expect(processorClient.cachedSchema(v2.schemaId)).toBeUndefined();
    await emitAll(kafka, topic, v2, [['dan', { name: 'dan', plan: 'pro' }]]);
    await eventually(async () => expect(await processor.get('dan')).toMatchObject({ count: 1, plan: '(none)' }));
    expect((await processor.stats()).errorPolicy.retried).toBeGreaterThanOrEqual(1);
    await stopClean(processor, running);
  });

  it('rejects an incompatible schema at registration with a typed error naming subject and version', async () => {
    const topic = uniqueName('sr-compat');
    const subject = `${topic}-value`;
    await avro<UserV1>({ registry: client, topic, schema: USER_V1 });
    // Apicurio's default compatibility is NONE (Confluent's is BACKWARD): set it for the subject.
    const config = await fetch(`${registry.url}/config/${subject}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    expect(config.status).toBe(200);
    const incompatible = { ...USER_V1, fields: [{ name: 'name', type: 'int' }] };
    const error = await avro({ registry: client, topic, schema: incompatible }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaIncompatibleError);
    expect(error).toMatchObject({ code: 'GOKA_SCHEMA_INCOMPATIBLE', subject, latestVersion: 1 });
    expect((error as Error).message).toContain(`subject "${subject}" version 1`);
  });

  it('hands a record failing JSON Schema validation to the input error policy', async () => {
    const group = uniqueName('sr-json');
    const topic = uniqueName('sr-payments');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const schema = { title: 'Payment', type: 'object', properties: { cents: { type: 'integer', minimum: 0 } }, required: ['cents'] };
    const payments = await jsonSchema<{ cents: number }>({ registry: client, topic, schema });
    const framed = (json: string): Buffer => Buffer.concat([payments.encode({ cents: 0 }).subarray(0, 5), Buffer.from(json)]);
    await emitAll(kafka, topic, codecs.bytes, [
      ['a', payments.encode({ cents: 5 })],
      ['a', framed('{"cents":-3}')],
      ['a', payments.encode({ cents: 7 })],
    ]);
    const processor = new Processor(
      defineGroup<ProcessContext<number>>(
        group,
        input(topic, payments, (ctx, payment) => ctx.setValue((ctx.value() ?? 0) + payment.cents), { onError: 'skip' }),
        persist(codecs.int64),
      ),
      { ...FAST, kafka },
    );
    const running = await startReady(processor);
    await eventually(async () => expect(await processor.get('a')).toBe(12));
    expect((await processor.stats()).errorPolicy).toMatchObject({ skipped: 1 });
    await stopClean(processor, running);
  });

  it('writes and reads a nested Protobuf message with its message-index list', async () => {
    const group = uniqueName('sr-proto');
    const topic = uniqueName('sr-lines');
    await createTopics(brokers, [{ topic, partitions: 1 }]);
    const proto = `syntax = "proto3";
package goka.test;
message Order {
  string id = 1;
  message Line { string sku = 1; int32 qty = 2; }
  repeated Line lines = 2;
}
message Refund { string order_id = 1; }
`;
    type Line = { sku: string; qty: number };
    const lines = await protobuf<Line>({ registry: client, topic, schema: proto, messageType: 'goka.test.Order.Line' });
    await emitAll(kafka, topic, lines, [
      ['o1', { sku: 'apple', qty: 2 }],
      ['o1', { sku: 'pear', qty: 3 }],
    ]);
    const [first] = await readTopic(brokers, topic);
    expect([...(first?.value?.subarray(5, 8) ?? [])]).toEqual([4, 0, 0]); // message indexes [0, 0]
    const reader = await protobuf<Line>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema: proto, messageType: 'goka.test.Order.Line', autoRegister: false });
    const processor = new Processor(
      defineGroup<ProcessContext<number>>(group, input(topic, reader, (ctx, line) => ctx.setValue((ctx.value() ?? 0) + line.qty)), persist(codecs.int64)),
      { ...FAST, kafka },
    );
    const running = await startReady(processor);
    await eventually(async () => expect(await processor.get('o1')).toBe(5));
    await stopClean(processor, running);
  });
});
