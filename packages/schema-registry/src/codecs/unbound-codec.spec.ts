import { bindCodec, CodecBindError, defineGroup, Emitter, input, MemoryKafka, persist, Processor, silentLogger } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { SchemaCodecUnboundError } from '../errors.js';
import { MemorySchemaRegistry } from '../memory/memory-schema-registry.js';
import { avro } from './avro-codec.js';
import { jsonSchema } from './json-schema-codec.js';
import { protobuf } from './protobuf-codec.js';

interface User {
  name: string;
}
interface Visits {
  count: number;
}
const USER = { type: 'record', name: 'User', namespace: 'ex', fields: [{ name: 'name', type: 'string' }] } as const;
const VISITS = { type: 'record', name: 'Visits', namespace: 'ex', fields: [{ name: 'count', type: 'int' }] } as const;
const PROTO = 'syntax = "proto3";\npackage shop;\nmessage Order { string id = 1; }\n';

describe('unbound schema codecs (created without registry and topic)', () => {
  it('are returned at once and say what to do when used before they are bound', () => {
    const users = avro<User>({ schema: USER });
    expect(users.name).toBe('avro');
    expect(() => users.encode({ name: 'ann' })).toThrow(SchemaCodecUnboundError);
    let error: unknown;
    try {
      users.decode(Buffer.from([0, 0, 0, 0, 1]));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'GOKA_SCHEMA_CODEC_UNBOUND', problem: 'used-unbound', codec: 'avro' });
    expect((error as Error).message).toMatch(/GokaModule\.forRoot\(\{ schemaRegistry: \{ url \} \}\).*await avro\(\{ registry, topic, schema \}\)/);
  });

  it('bind with the registry of codecServices and the edge topic to the codec the awaited form makes', async () => {
    const memory = new MemorySchemaRegistry();
    const registry = memory.client();
    const bound = await avro<User>({ schema: USER }).bind({ topic: 'users', isKey: false, group: undefined, codecServices: { schemaRegistry: registry } });
    const awaited = await avro<User>({ registry, topic: 'users', schema: USER });
    expect(bound).toMatchObject({ name: 'avro', subject: 'users-value', schemaId: awaited.schemaId });
    expect(bound.encode({ name: 'ann' })).toEqual(awaited.encode({ name: 'ann' }));
    expect({ ...bound.decode(awaited.encode({ name: 'bo' })) }).toEqual({ name: 'bo' });
    const key = await avro<User>({ schema: USER }).bind({ topic: 'users', isKey: true, group: undefined, codecServices: { schemaRegistry: registry } });
    expect(key.subject).toBe('users-key');
    const record = await avro<User>({ schema: USER, subjectStrategy: 'record' }).bind({ topic: 'users', isKey: false, group: 'g', codecServices: { schemaRegistry: registry } });
    expect(record.subject).toBe('ex.User');
    const json = await jsonSchema<{ id: string }>({ schema: { title: 'P', type: 'object', properties: { id: { type: 'string' } } } }).bind({
      topic: 'payments',
      isKey: false,
      group: undefined,
      codecServices: { schemaRegistry: registry },
    });
    const proto = await protobuf<{ id: string }>({ schema: PROTO, messageType: 'shop.Order' }).bind({
      topic: 'orders',
      isKey: false,
      group: undefined,
      codecServices: { schemaRegistry: registry },
    });
    expect({ ...proto.decode(proto.encode({ id: 'o1' })) }).toEqual({ id: 'o1' });
    expect(json.decode(json.encode({ id: 'p1' }))).toEqual({ id: 'p1' });
    expect(memory.subjects()).toEqual(['users-value', 'users-key', 'ex.User', 'payments-value', 'orders-value']);
    expect(memory.schemaById(proto.schemaId)?.schemaType).toBe('PROTOBUF');
  });

  it('refuse to bind without a registry, naming the topic and what to set (a CodecBindError in components)', async () => {
    const users = avro<User>({ schema: USER });
    const error = await users.bind({ topic: 'users', isKey: false, group: undefined, codecServices: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GOKA_SCHEMA_CODEC_UNBOUND', problem: 'no-registry' });
    expect((error as Error).message).toMatch(/^the avro codec of topic "users" needs a schema registry and its component has none: set GokaModule\.forRoot/);
    const wrapped = await bindCodec(users, { topic: 'users', codecServices: { schemaRegistry: 'http://nope' } }).catch((e: unknown) => e);
    expect(wrapped).toBeInstanceOf(CodecBindError);
    expect((wrapped as CodecBindError).cause).toBeInstanceOf(SchemaCodecUnboundError);
  });

  it('run a processor, its table and an emitter on MemoryKafka and MemorySchemaRegistry', async () => {
    const memory = new MemorySchemaRegistry();
    const codecServices = { schemaRegistry: memory.client() };
    const kafka = new MemoryKafka({ createTopics: { partitions: 2 } });
    kafka.createTopic('users', { partitions: 2 });
    const users = avro<User>({ schema: USER });
    const visits = avro<Visits>({ schema: VISITS });
    const emitter = new Emitter('users', users, { kafka, logger: silentLogger, codecServices });
    await Promise.all([emitter.emit('ann', { name: 'ann' }), emitter.emit('ann', { name: 'ann' })]);
    await emitter.finish();
    const graph = defineGroup<ProcessContext<Visits>>(
      'visits',
      input('users', users, (ctx) => ctx.setValue({ count: (ctx.value()?.count ?? 0) + 1 })),
      persist(visits),
    );
    const processor = new Processor(graph, { kafka, logger: silentLogger, initialOffset: 'oldest', codecServices });
    const running = processor.run();
    await processor.waitForReady();
    await expect.poll(async () => ({ ...(await processor.get('ann')) })).toEqual({ count: 2 });
    await processor.stop();
    await running;
    expect(memory.subjects()).toEqual(['users-value', 'visits-table-value']);
    const written = kafka.read('visits-table', 0).concat(kafka.read('visits-table', 1));
    expect(written.at(-1)?.value?.readUInt32BE(1)).toBe(memory.versions('visits-table-value')[0]?.id);
  });
});
