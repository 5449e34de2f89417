// The Nest example of the README section "Schema Registry" (keep the two in sync).
import type { ProcessContext } from '@goka/core';
import { GokaModule, Input, Persist, Processor } from '@goka/nestjs';
import { avro } from '@goka/schema-registry';
import { Module } from '@nestjs/common';

export interface Order {
  id: string;
  cents: number;
}
export interface Totals {
  orders: number;
  cents: number;
}

// No registry, no topic, no await: each processor, view and emitter binds the codecs to the module's
// registry and to its edge's topic when it starts (subjects `shop-orders-value`, `order-totals-table-value`).
export const orders = avro<Order>({
  schema: { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'cents', type: 'long' }] },
});
export const totals = avro<Totals>({
  schema: { type: 'record', name: 'Totals', namespace: 'shop', fields: [{ name: 'orders', type: 'int' }, { name: 'cents', type: 'long' }] },
});

@Processor('order-totals')
@Persist(totals)
export class OrderTotals {
  @Input('shop-orders', orders)
  add(order: Order, ctx: ProcessContext<Totals>): void {
    const before = ctx.value() ?? { orders: 0, cents: 0 };
    ctx.setValue({ orders: before.orders + 1, cents: before.cents + order.cents });
  }
}

@Module({
  imports: [
    // forRoot({ ... }) takes the same options; the factory reads the environment when the app starts.
    GokaModule.forRootAsync({
      useFactory: () => ({
        brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
        // or a client: new SchemaRegistryClient({ ... }), or new MemorySchemaRegistry().client() in tests
        schemaRegistry: { url: process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081', timeoutMs: 5_000 },
        topics: { create: true },
        waitForRecovery: true,
      }),
    }),
    GokaModule.registerView({ group: 'order-totals', codec: totals }),
    GokaModule.registerEmitter({ topic: 'shop-orders', codec: orders }),
  ],
  providers: [OrderTotals],
})
export class ShopModule {}

import type { Emitter, View } from '@goka/core';
import { getEmitterToken, getViewToken } from '@goka/nestjs';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readmeExample, specExample } from '@goka/scripts';
import { eventually } from '../support/eventually.js';
import { uniqueName } from '../support/kafka.js';
import { useRegistry } from '../support/schema-registry.js';
import type { TestRegistry } from '../support/schema-registry.js';

let registry: TestRegistry | undefined;
let app: INestApplication | undefined;
beforeAll(async () => {
  registry = await useRegistry();
  // ShopModule's factory reads it when the test below starts the app
  process.env['SCHEMA_REGISTRY_URL'] = registry.url;
});
afterAll(async () => {
  await app?.close();
  await registry?.release();
});

it('sums Avro orders with the README module: registry settings once, codecs bound to their topics', async () => {
  const moduleRef = await Test.createTestingModule({ imports: [ShopModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const customer = uniqueName('ann'); // a fresh key: the topic and the group outlive a run on the same broker
  const emitter = app.get<Emitter<Order>>(getEmitterToken('shop-orders'));
  await Promise.all([emitter.emit(customer, { id: 'o1', cents: 250 }), emitter.emit(customer, { id: 'o2', cents: 100 })]);
  const view = app.get<View<Totals>>(getViewToken('order-totals'));
  await eventually(async () => expect({ ...(await view.get(customer)) }).toEqual({ orders: 2, cents: 350 }));
});

it('is the example the README shows under "Schema Registry" for Nest', async () => {
  expect(await readmeExample('### Registry settings once in Nest')).toBe(await specExample(import.meta.url, 'import type { Emitter'));
});
