import { describe, expect, it } from 'vitest';
import { SchemaRegistryRequestError } from '../errors.js';
import { MemorySchemaRegistry } from './memory-schema-registry.js';

describe('MemorySchemaRegistry', () => {
  it('registers, shares ids of equal schemas, lists versions and answers ids through a client', async () => {
    const memory = new MemorySchemaRegistry();
    const client = memory.client();
    const first = await client.register('a-value', '"string"', 'AVRO');
    expect(await client.register('a-value', '"string"', 'AVRO')).toBe(first);
    const second = await client.register('a-value', '["null","string"]', 'AVRO');
    expect(second).not.toBe(first);
    // the same schema under another subject keeps its id (as Confluent's registry does)
    expect(await client.register('b-value', '"string"', 'AVRO')).toBe(first);
    expect(await client.versions('a-value')).toEqual([1, 2]);
    expect(await client.versions('missing')).toEqual([]);
    expect(await client.latest('a-value')).toMatchObject({ id: second, version: 2, subject: 'a-value' });
    expect(await client.version('a-value', 1)).toMatchObject({ id: first, schema: '"string"' });
    expect(await client.lookup('a-value', '["null","string"]', 'AVRO')).toMatchObject({ id: second, version: 2 });
    const proto = await client.register('p-value', 'syntax = "proto3"; message M {}', 'PROTOBUF');
    // a fresh client (empty cache) reads the id from the registry
    expect(await memory.client().schemaById(proto)).toMatchObject({ schemaType: 'PROTOBUF' });
    expect(memory.subjects()).toEqual(['a-value', 'b-value', 'p-value']);
  });

  it("answers the Confluent error codes and the compatibility config NONE, under any path prefix", async () => {
    const memory = new MemorySchemaRegistry();
    const client = memory.client({ retries: 0 });
    await expect(client.schemaById(9)).rejects.toMatchObject({ status: 404, errorCode: 40403 });
    await expect(client.latest('nope')).rejects.toBeInstanceOf(SchemaRegistryRequestError);
    await expect(client.lookup('nope', '"int"', 'AVRO')).rejects.toMatchObject({ errorCode: 40401 });
    memory.register('s', '"int"');
    await expect(client.version('s', 5)).rejects.toMatchObject({ errorCode: 40402 });
    expect(memory.handle('GET', '/apis/ccompat/v7/config', undefined)).toEqual({ status: 200, body: { compatibilityLevel: 'NONE' } });
    expect(memory.handle('GET', '/apis/ccompat/v7/subjects', undefined)).toEqual({ status: 200, body: ['s'] });
    expect(memory.handle('POST', '/subjects/s/versions', { schema: 1 })).toMatchObject({ status: 422 });
    const response = await memory.fetch('http://anything/subjects/s/versions/latest');
    expect(await response.json()).toMatchObject({ subject: 's', version: 1, schema: '"int"' });
  });
});
