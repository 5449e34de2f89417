import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaRegistryClient } from '../client/schema-registry-client.js';
import { FakeRegistry } from '../test-support/fake-registry.js';
import { protobuf } from './protobuf-codec.js';

const PROTO = `syntax = "proto3";
package shop;
message Order {
  string id = 1;
  message Line {
    string sku = 1;
    int32 qty = 2;
    message Discount { int32 percent = 1; }
    Discount discount = 3;
  }
  repeated Line lines = 2;
}
enum Kind { A = 0; B = 1; }
message Refund { string order_id = 1; int64 cents = 2; Kind kind = 3; }
`;

interface Line {
  sku: string;
  qty: number;
  discount?: { percent: number } | null;
}

describe('protobuf codec', () => {
  let fake: FakeRegistry;
  let registry: SchemaRegistryClient;
  beforeEach(async () => {
    fake = await new FakeRegistry().start();
    registry = new SchemaRegistryClient({ url: fake.url });
  });
  afterEach(() => fake.stop());

  it('writes the first top-level message with the single index byte 0', async () => {
    const orders = await protobuf<{ id: string; lines: Line[] }>({ registry, topic: 'orders', schema: PROTO, messageType: 'shop.Order' });
    const bytes = orders.encode({ id: 'o1', lines: [{ sku: 's', qty: 2 }] });
    expect(bytes[5]).toBe(0);
    expect(orders.decode(bytes)).toEqual({ id: 'o1', lines: [{ sku: 's', qty: 2, discount: null }] });
    expect(fake.memory.schemaById(orders.schemaId)?.schemaType).toBe('PROTOBUF');
  });

  it('writes the index path of nested and later top-level messages (enums not counted)', async () => {
    const lines = await protobuf<Line>({ registry, topic: 'lines', schema: PROTO, messageType: 'shop.Order.Line' });
    const discount = await protobuf<{ percent: number }>({ registry, topic: 'd', schema: PROTO, messageType: 'shop.Order.Line.Discount' });
    const refunds = await protobuf<{ orderId: string; cents: string; kind: string }>({ registry, topic: 'refunds', schema: PROTO, messageType: 'shop.Refund' });
    const line = lines.encode({ sku: 'x', qty: 1, discount: { percent: 5 } });
    expect([...line.subarray(5, 8)]).toEqual([4, 0, 0]); // [0, 0]
    expect([...discount.encode({ percent: 1 }).subarray(5, 9)]).toEqual([6, 0, 0, 0]); // [0, 0, 0]
    const refund = refunds.encode({ orderId: 'o', cents: '12345678901234', kind: 'B' });
    expect([...refund.subarray(5, 7)]).toEqual([2, 2]); // [1]
    expect(lines.decode(line)).toEqual({ sku: 'x', qty: 1, discount: { percent: 5 } });
    expect(refunds.decode(refund)).toEqual({ orderId: 'o', cents: '12345678901234', kind: 'B' });
  });

  it('refuses a record of another message type and an index not in the writer schema', async () => {
    const lines = await protobuf<Line>({ registry, topic: 'lines', schema: PROTO, messageType: 'shop.Order.Line' });
    const refunds = await protobuf<{ orderId: string }>({ registry, topic: 'lines', schema: PROTO, messageType: 'shop.Refund' });
    expect(() => lines.decode(refunds.encode({ orderId: 'o' }))).toThrow(/the record is a shop\.Refund, this codec reads shop\.Order\.Line/);
    const bogus = Buffer.from([0, 0, 0, 0, lines.schemaId, 2, 10]);
    expect(() => lines.decode(bogus)).toThrow(/message index \[5\] is not in schema id/);
  });

  it('refuses a value that does not fit the message', async () => {
    const lines = await protobuf<Line>({ registry, topic: 'lines', schema: PROTO, messageType: 'shop.Order.Line' });
    expect(() => lines.encode({ sku: 'x', qty: 'many' } as unknown as Line)).toThrow(/protobuf codec cannot encode: not a valid shop.Order.Line: qty: integer expected/);
    expect(() => lines.encode({ sku: 'x', qty: 1, discount: 'big' } as unknown as Line)).toThrow(/not a valid shop.Order.Line: .*object expected/);
  });

  it('takes int64 and enums as numbers as well as in their JSON forms', async () => {
    const refunds = await protobuf<{ orderId: string; cents: string | number; kind: string | number }>({ registry, topic: 'refunds', schema: PROTO, messageType: 'shop.Refund' });
    expect(refunds.decode(refunds.encode({ orderId: 'o', cents: 7, kind: 1 }))).toEqual({ orderId: 'o', cents: '7', kind: 'B' });
    expect(() => refunds.encode({ orderId: 'o', cents: 'seven', kind: 'B' })).toThrow(/cents: integer\|Long expected/);
  });
});
