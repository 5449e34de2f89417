// The example of the README section "Schema Registry" (keep the two in sync).
import { defineGroup, input, persist, Processor } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { avro, SchemaRegistryClient } from '@goka/schema-registry';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

export interface Order {
  id: string;
  cents: number;
}
export interface Totals {
  orders: number;
  cents: number;
}

export function registryClient(): SchemaRegistryClient {
  const token = process.env['SCHEMA_REGISTRY_TOKEN'];
  return new SchemaRegistryClient({
    url: process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081',
    ...(token === undefined ? {} : { auth: { token } }), // or { username, password }
    timeoutMs: 5_000,
  });
}

export async function orderTotals(registry: SchemaRegistryClient, group: string, topic: string): Promise<Processor<Totals>> {
  // Creating a codec registers its schema under `<topic>-value` (autoRegister: false looks it up instead)
  // and loads the subject's versions, so encode and decode stay synchronous like every codec's.
  const orders = await avro<Order>({
    registry,
    topic,
    schema: { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] },
  });
  const totals = await avro<Totals>({
    registry,
    topic: `${group}-table`,
    schema: { type: 'record', name: 'Totals', namespace: 'shop', fields: [{ name: 'orders', type: 'int' }, { name: 'cents', type: 'long' }] },
  });
  const graph = defineGroup<ProcessContext<Totals>>(
    group,
    input(topic, orders, (ctx, order) => {
      const before = ctx.value() ?? { orders: 0, cents: 0 };
      ctx.setValue({ orders: before.orders + 1, cents: before.cents + order.cents });
    }),
    persist(totals),
  );
  return new Processor(graph, { brokers, initialOffset: 'oldest' });
}

import { Emitter, silentLogger } from '@goka/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uniqueName } from '../support/kafka.js';
import { readmeExample, specExample } from '@goka/scripts';
import { useRegistry } from '../support/schema-registry.js';
import type { TestRegistry } from '../support/schema-registry.js';
import { createTopics } from './processor-harness.js';

let testRegistry: TestRegistry;
beforeAll(async () => {
  testRegistry = await useRegistry();
  process.env['SCHEMA_REGISTRY_URL'] = testRegistry.url;
});
afterAll(async () => {
  await testRegistry.release();
});

it('sums Avro orders per customer into an Avro table on the real broker and registry', async () => {
  const topic = uniqueName('readme-sr-orders');
  await createTopics(brokers, [{ topic, partitions: 2 }]);
  const registry = registryClient();
  const processor = await orderTotals(registry, uniqueName('readme-sr'), topic);
  const orders = await avro<Order>({ registry: registryClient(), topic, schema: (await registry.latest(`${topic}-value`)).schema });
  const emitter = new Emitter(topic, orders, { brokers, logger: silentLogger });
  await Promise.all([
    emitter.emit('ann', { id: 'o1', cents: 250 }),
    emitter.emit('ann', { id: 'o2', cents: 100 }),
    emitter.emit('bob', { id: 'o3', cents: 5 }),
  ]);
  await emitter.finish();
  const running = processor.run();
  try {
    await processor.waitForReady();
    await expect.poll(async () => ({ ...(await processor.get('ann')) }), { timeout: 30_000 }).toEqual({ orders: 2, cents: 350 });
    await expect.poll(async () => ({ ...(await processor.get('bob')) }), { timeout: 30_000 }).toEqual({ orders: 1, cents: 5 });
  } finally {
    await processor.stop();
    await running;
  }
});

it('is the example the README shows under "Schema Registry"', async () => {
  expect(await readmeExample('## Schema Registry')).toBe(await specExample(import.meta.url, 'import { Emitter'));
});
