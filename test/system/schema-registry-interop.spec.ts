import { create, createMutableRegistry } from '@bufbuild/protobuf';
import type { DescMessage } from '@bufbuild/protobuf';
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient as ConfluentClient, ProtobufDeserializer, ProtobufSerializer, SerdeType, TopicNameStrategy } from '@confluentinc/schemaregistry';
import type { SchemaInfo } from '@confluentinc/schemaregistry';
import { avro, protobuf, SchemaRegistryClient } from '@goka/schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../support/kafka.js';
import { protoDescriptors } from '../support/proto-descriptors.js';
import { useRegistry } from '../support/schema-registry.js';
import type { TestRegistry } from '../support/schema-registry.js';

/**
 * Confluent's client as a service would configure it: axios has no timeout by default, so one request
 * the registry never answers hangs the serializer for good (seen once in CI: its
 * `GET /subjects/<subject>/versions/latest` to Apicurio got no answer and the test ran into its
 * 120 s timeout). With a timeout the client's own retries (axios-retry) send it again.
 */
function confluentClient(url: string): ConfluentClient {
  return new ConfluentClient({ baseURLs: [url], createAxiosDefaults: { timeout: 10_000 }, maxRetries: 3, retriesWaitMs: 200, retriesMaxWaitMs: 2_000 });
}

/**
 * The serdes' subject: `<topic>-value`, Confluent's classic default and what our codecs use. Named
 * explicitly because the serdes otherwise first ask the registry for the topic's subject associations
 * (`GET /associations/...`, a Confluent Cloud endpoint Apicurio answers with 404). In two CI runs the
 * requests on that connection after such a 404 got no answer at all, four timeouts in a row; the
 * strategy keeps the test on the API it is about.
 */
const SUBJECT = { subjectNameStrategy: TopicNameStrategy } as const;

const PROTO = `syntax = "proto3";
package goka.interop;
message Order {
  string id = 1;
  message Line { string sku = 1; int32 qty = 2; }
  repeated Line lines = 2;
}
message Refund { string order_id = 1; int64 cents = 2; }
`;

/**
 * Bytes interoperate with Confluent's Node serde (`@confluentinc/schemaregistry`) through the real
 * registry: records its serializers write decode with our codecs and ours with its deserializers (issue 20).
 */
describe('interoperability with @confluentinc/schemaregistry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await useRegistry();
  });
  afterAll(async () => {
    await registry.release();
  });

  it('Avro: the same bytes both ways', async () => {
    const topic = uniqueName('interop-avro');
    const schema = { type: 'record', name: 'User', namespace: 'interop', fields: [{ name: 'name', type: 'string' }, { name: 'visits', type: 'long' }] };
    const ours = await avro<{ name: string; visits: number }>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema });
    const client = confluentClient(registry.url);
    const theirs = await new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ...SUBJECT }).serialize(topic, { name: 'ann', visits: 5 });
    const mine = ours.encode({ name: 'ann', visits: 5 });
    expect(mine.equals(theirs)).toBe(true);
    expect({ ...ours.decode(theirs) }).toEqual({ name: 'ann', visits: 5 });
    expect({ ...(await new AvroDeserializer(client, SerdeType.VALUE, { ...SUBJECT }).deserialize(topic, mine)) }).toEqual({ name: 'ann', visits: 5 });
  });

  it('Protobuf: the same bytes both ways for a first, a nested and a later top-level message', async () => {
    const { registry: files, serialized } = protoDescriptors(PROTO, 'interop.proto');
    const client = confluentClient(registry.url);
    // Confluent's deserializer asks for `format=serialized` (a base64 FileDescriptorProto); Apicurio 3.3.3
    // answers raw descriptor bytes instead, so this client answers that request itself.
    const getBySubjectAndId = client.getBySubjectAndId.bind(client);
    client.getBySubjectAndId = async (subject: string, id: number, format?: string): Promise<SchemaInfo> => {
      const info = await getBySubjectAndId(subject, id);
      return format === 'serialized' ? { ...info, schema: serialized } : info;
    };
    const cases: [string, Record<string, unknown>, string][] = [
      ['goka.interop.Order', { id: 'o1', lines: [{ sku: 'x', qty: 1 }] }, '00'],
      ['goka.interop.Order.Line', { sku: 'apple', qty: 3 }, '040000'],
      ['goka.interop.Refund', { orderId: 'o9', cents: '12345678901' }, '0202'],
    ];
    for (const [messageType, value, indexes] of cases) {
      const topic = uniqueName('interop-proto');
      const ours = await protobuf<Record<string, unknown>>({ registry: new SchemaRegistryClient({ url: registry.url }), topic, schema: PROTO, messageType });
      const desc = files.getMessage(messageType) as DescMessage;
      const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { useLatestVersion: true, registry: createMutableRegistry(files), ...SUBJECT });
      const native = value.cents === undefined ? value : { ...value, cents: BigInt(value.cents as string) }; // int64 is a bigint there
      const theirs = await serializer.serialize(topic, create(desc, native));
      const mine = ours.encode(value);
      expect(mine.subarray(5, 5 + indexes.length / 2).toString('hex'), messageType).toBe(indexes);
      expect(mine.equals(theirs), messageType).toBe(true);
      expect(ours.decode(theirs)).toEqual(value);
      const back = (await new ProtobufDeserializer(client, SerdeType.VALUE, { ...SUBJECT }).deserialize(topic, mine)) as { $typeName: string };
      expect(back.$typeName).toBe(messageType);
      expect(back).toMatchObject(native);
    }
  });
});
