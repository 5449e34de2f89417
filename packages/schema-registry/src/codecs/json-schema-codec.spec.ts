import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodecError } from '@goka/core';
import { SchemaRegistryClient } from '../client/schema-registry-client.js';
import { FakeRegistry } from '../test-support/fake-registry.js';
import { jsonSchema } from './json-schema-codec.js';

interface Payment {
  id: string;
  cents: number;
}
const SCHEMA = {
  title: 'Payment',
  type: 'object',
  properties: { id: { type: 'string' }, cents: { type: 'integer', minimum: 0 } },
  required: ['id', 'cents'],
};

describe('jsonSchema codec', () => {
  let fake: FakeRegistry;
  let registry: SchemaRegistryClient;
  beforeEach(async () => {
    fake = await new FakeRegistry().start();
    registry = new SchemaRegistryClient({ url: fake.url });
  });
  afterEach(() => fake.stop());

  it('registers with schemaType JSON and writes JSON after the 5-byte header', async () => {
    const payments = await jsonSchema<Payment>({ registry, topic: 'payments', schema: SCHEMA });
    const bytes = payments.encode({ id: 'p1', cents: 5 });
    expect(bytes.subarray(5).toString()).toBe('{"id":"p1","cents":5}');
    expect(bytes.readUInt32BE(1)).toBe(payments.schemaId);
    expect(payments.decode(bytes)).toEqual({ id: 'p1', cents: 5 });
    expect(fake.memory.schemaById(payments.schemaId)?.schemaType).toBe('JSON');
  });

  it('throws a CodecError naming the subject and the mismatch, on encode and on decode', async () => {
    const payments = await jsonSchema<Payment>({ registry, topic: 'payments', schema: SCHEMA });
    expect(() => payments.encode({ id: 'p1', cents: -1 })).toThrow(/json-schema codec cannot encode: does not match the schema of subject "payments-value": data\/cents must be >= 0/);
    const invalid = Buffer.concat([Buffer.from([0, 0, 0, 0, payments.schemaId]), Buffer.from('{"id":"p2"}')]);
    expect(() => payments.decode(invalid)).toThrow(CodecError);
    expect(() => payments.decode(invalid)).toThrow(/must have required property 'cents'/);
    expect(() => payments.decode(Buffer.from([0, 0, 0, 0, 1, 0x7b]))).toThrow(/payload is not JSON/);
  });

  it('decodes records of any writer id without asking the registry', async () => {
    const payments = await jsonSchema<Payment>({ registry, topic: 'payments', schema: SCHEMA });
    fake.down = true;
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, 99]), Buffer.from('{"id":"x","cents":1}')]);
    expect(payments.decode(bytes)).toEqual({ id: 'x', cents: 1 });
  });
});
