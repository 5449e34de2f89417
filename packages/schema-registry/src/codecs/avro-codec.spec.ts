import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodecError } from '@goka/core';
import { SchemaRegistryClient } from '../client/schema-registry-client.js';
import { SchemaIncompatibleError, SchemaNotLoadedError, SchemaRegistryUnavailableError } from '../errors.js';
import { FakeRegistry } from '../test-support/fake-registry.js';
import { avro } from './avro-codec.js';

interface UserV1 {
  name: string;
}
interface UserV2 extends UserV1 {
  age: number;
}
const V1 = { type: 'record', name: 'User', namespace: 'ex', fields: [{ name: 'name', type: 'string' }] } as const;
const V2 = { ...V1, fields: [...V1.fields, { name: 'age', type: 'int', default: 18 }] };

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('avro codec', () => {
  let fake: FakeRegistry;
  let registry: SchemaRegistryClient;
  beforeEach(async () => {
    fake = await new FakeRegistry().start();
    registry = new SchemaRegistryClient({ url: fake.url, retries: 0 });
  });
  afterEach(() => fake.stop());

  it('registers under <topic>-value and writes the Confluent wire format', async () => {
    const users = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    expect(users.subject).toBe('users-value');
    const bytes = users.encode({ name: 'ann' });
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 0, users.schemaId]);
    // Avro string: zigzag length 3 → 6, then the UTF-8 bytes
    expect([...bytes.subarray(5)]).toEqual([6, ...Buffer.from('ann')]);
    expect({ ...users.decode(bytes) }).toEqual({ name: 'ann' });
  });

  it('reads a record written with v1 as v2, the added field defaulted, and v2 as v1', async () => {
    const v1 = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    const v2 = await avro<UserV2>({ registry, topic: 'users', schema: V2 });
    expect(v2.schemaId).not.toBe(v1.schemaId);
    expect({ ...v2.decode(v1.encode({ name: 'ann' })) }).toEqual({ name: 'ann', age: 18 });
    expect({ ...v1.decode(v2.encode({ name: 'bob', age: 3 })) }).toEqual({ name: 'bob' });
  });

  it('preloads every version of the subject, so old records decode without a request', async () => {
    const v1 = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    const old = v1.encode({ name: 'ann' });
    const other = new SchemaRegistryClient({ url: fake.url });
    const v2 = await avro<UserV2>({ registry: other, topic: 'users', schema: V2 });
    fake.down = true;
    expect({ ...v2.decode(old) }).toEqual({ name: 'ann', age: 18 });
  });

  it('throws a retriable SchemaNotLoadedError for an unknown id and decodes it once fetched', async () => {
    const writerId = fake.add('elsewhere', JSON.stringify(V1));
    const v2 = await avro<UserV2>({ registry, topic: 'users', schema: V2 });
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, writerId]), Buffer.from([6, ...Buffer.from('cat')])]);
    const first = (() => {
      try {
        return v2.decode(bytes);
      } catch (error) {
        return error;
      }
    })();
    expect(first).toBeInstanceOf(SchemaNotLoadedError);
    expect(first).toMatchObject({ schemaId: writerId, retriable: true, code: 'GOKA_SCHEMA_NOT_LOADED' });
    await settle();
    expect({ ...v2.decode(bytes) }).toEqual({ name: 'cat', age: 18 });
    expect(fake.count(`/schemas/ids/${writerId}`)).toBe(1);
  });

  it('during an outage: a cached id costs nothing, an unknown id stays retriable and names the outage', async () => {
    const v1 = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    const unknown = fake.add('elsewhere', JSON.stringify(V2));
    fake.down = true;
    const before = fake.requests.length;
    expect({ ...v1.decode(v1.encode({ name: 'x' })) }).toEqual({ name: 'x' });
    expect(fake.requests.length).toBe(before);
    const bytes = Buffer.from([0, 0, 0, 0, unknown, 2, 0x61, 4]);
    expect(() => v1.decode(bytes)).toThrow(SchemaNotLoadedError);
    await settle();
    let second: unknown;
    try {
      v1.decode(bytes);
    } catch (error) {
      second = error;
    }
    expect(second).toMatchObject({ retriable: true });
    expect((second as Error).cause).toBeInstanceOf(SchemaRegistryUnavailableError);
    fake.down = false;
    await settle();
    expect({ ...v1.decode(bytes) }).toEqual({ name: 'a' });
  });

  it('an id the registry does not know is a plain CodecError once the registry said so, not retriable', async () => {
    const users = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    const bytes = Buffer.from([0, 0, 0, 0, 77, 2, 0x61]);
    expect(() => users.decode(bytes)).toThrow(SchemaNotLoadedError);
    await settle();
    let error: unknown;
    try {
      users.decode(bytes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ retriable: false, reason: 'schema id 77 is not in the registry' });
  });

  it('a writer schema the reader cannot resolve is a CodecError naming the id', async () => {
    const v2 = await avro<UserV2>({ registry, topic: 'users', schema: V2 });
    const intName = fake.add('elsewhere', JSON.stringify({ ...V1, fields: [{ name: 'name', type: 'int' }] }));
    await registry.schemaById(intName);
    expect(() => v2.decode(Buffer.from([0, 0, 0, 0, intName, 2]))).toThrow(new RegExp(`avro codec cannot decode: cannot read schema id ${intName} with this codec's schema`));
  });

  it('throws CodecErrors for values that do not fit and bytes that are not Avro', async () => {
    const users = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    expect(() => users.encode({ name: 5 } as unknown as UserV1)).toThrow(CodecError);
    expect(() => users.encode({ name: 5 } as unknown as UserV1)).toThrow(/avro codec cannot encode/);
    expect(() => users.decode(Buffer.from('{"name":"x"}'))).toThrow(/unknown magic byte/);
    expect(() => users.decode(Buffer.from([0, 0, 0, 0, users.schemaId, 0x80]))).toThrow(/avro codec cannot decode/);
  });

  it('rejects an incompatible schema at registration with a typed error', async () => {
    await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    fake.incompatible.add('users-value');
    await expect(avro({ registry, topic: 'users', schema: { ...V1, fields: [{ name: 'name', type: 'int' }] } })).rejects.toThrow(SchemaIncompatibleError);
  });

  it('without autoRegister, encodes with the pinned or exact version', async () => {
    const v1 = await avro<UserV1>({ registry, topic: 'users', schema: V1 });
    const pinned = await avro<UserV1>({ registry, topic: 'users', schema: V1, autoRegister: false, version: 'latest' });
    expect(pinned.schemaId).toBe(v1.schemaId);
    const exact = await avro<UserV1>({ registry, topic: 'users', schema: V1, autoRegister: false });
    expect(exact.schemaId).toBe(v1.schemaId);
    await expect(avro<UserV2>({ registry, topic: 'users', schema: V2, autoRegister: false })).rejects.toThrow(/404/);
    expect(fake.memory.versions('users-value')).toHaveLength(1);
  });

  it('names the subject after the record with the record strategy', async () => {
    const users = await avro<UserV1>({ registry, topic: 'users', subjectStrategy: 'record', schema: V1 });
    expect(users.subject).toBe('ex.User');
    expect(fake.memory.subjects()).toContain('ex.User');
  });
});
