import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaIncompatibleError, SchemaRegistryRequestError, SchemaRegistryUnavailableError } from '../errors.js';
import { FakeRegistry } from '../test-support/fake-registry.js';
import { SchemaRegistryClient } from './schema-registry-client.js';

describe('SchemaRegistryClient', () => {
  let registry: FakeRegistry;
  beforeEach(async () => {
    registry = await new FakeRegistry().start();
  });
  afterEach(() => registry.stop());

  it('registers, looks up and lists versions', async () => {
    const client = new SchemaRegistryClient({ url: `${registry.url}/` });
    const id = await client.register('s', '"string"', 'AVRO');
    expect(await client.register('s', '"string"', 'AVRO')).toBe(id);
    expect(await client.lookup('s', '"string"', 'AVRO')).toMatchObject({ id, version: 1, schemaType: 'AVRO' });
    expect(await client.versions('s')).toEqual([1]);
    expect(await client.versions('absent')).toEqual([]);
    expect(await client.latest('s')).toMatchObject({ id, version: 1, subject: 's' });
  });

  it('fetches an unknown id once however many ask at the same time, then serves it from the cache', async () => {
    const id = registry.add('s', '"long"');
    registry.delayMs = 50;
    const client = new SchemaRegistryClient({ url: registry.url });
    expect(client.cachedSchema(id)).toBeUndefined();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.schemaById(id)));
    expect(new Set(answers.map((a) => a.schema))).toEqual(new Set(['"long"']));
    await client.schemaById(id);
    expect(registry.count(`/schemas/ids/${id}`)).toBe(1);
    expect(client.cachedSchema(id)?.schema).toBe('"long"');
  });

  it('sends basic and bearer credentials', async () => {
    await new SchemaRegistryClient({ url: registry.url, auth: { username: 'u', password: 'p' } }).versions('s');
    await new SchemaRegistryClient({ url: registry.url, auth: { token: 't0k' } }).versions('s');
    expect(registry.requests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from('u:p').toString('base64')}`, 'Bearer t0k']);
  });

  it('retries an outage, then fails with a retriable SchemaRegistryUnavailableError', async () => {
    registry.down = true;
    const client = new SchemaRegistryClient({ url: registry.url, retries: 2 });
    const error = await client.schemaById(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryUnavailableError);
    expect(error).toMatchObject({ code: 'GOKA_SCHEMA_REGISTRY_UNAVAILABLE', retriable: true });
    expect(registry.count('/schemas/ids/1')).toBe(3);
    // not cached as a failure: the next call asks again
    registry.down = false;
    registry.add('s', '"int"');
    expect((await client.schemaById(1)).schema).toBe('"int"');
  });

  it('times out a registry that does not answer', async () => {
    registry.delayMs = 500;
    const client = new SchemaRegistryClient({ url: registry.url, timeoutMs: 50, retries: 0 });
    await expect(client.versions('s')).rejects.toThrow(/no answer in 50 ms/);
  });

  it('reports an unreachable registry as unavailable', async () => {
    const client = new SchemaRegistryClient({ url: 'http://127.0.0.1:1', retries: 0 });
    await expect(client.schemaById(1)).rejects.toBeInstanceOf(SchemaRegistryUnavailableError);
  });

  it('turns a 404 into a SchemaRegistryRequestError with the registry error code', async () => {
    const error = await new SchemaRegistryClient({ url: registry.url }).schemaById(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryRequestError);
    expect(error).toMatchObject({ status: 404, errorCode: 40403, retriable: false, code: 'GOKA_SCHEMA_REGISTRY_REQUEST' });
  });

  it('turns a compatibility rejection into a SchemaIncompatibleError naming subject and latest version', async () => {
    registry.add('users-value', '"string"');
    registry.add('users-value', '["null","string"]');
    registry.incompatible.add('users-value');
    const error = await new SchemaRegistryClient({ url: registry.url }).register('users-value', '"int"', 'AVRO').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaIncompatibleError);
    expect(error).toMatchObject({ subject: 'users-value', latestVersion: 2, code: 'GOKA_SCHEMA_INCOMPATIBLE' });
    expect((error as Error).message).toMatch(/^schema is incompatible with subject "users-value" version 2: /);
  });
});
