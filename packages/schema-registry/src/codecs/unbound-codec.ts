import type { Codec, CodecBindContext } from '@goka/core';
import { SchemaRegistryClient } from '../client/schema-registry-client.js';
import { SchemaCodecUnboundError } from '../errors.js';
import type { SchemaCodec } from './schema-codec.js';

/** The key of the registry client in a component's `codecServices` (`GokaModule.forRoot({ schemaRegistry })` sets it). */
export const SCHEMA_REGISTRY_SERVICE = 'schemaRegistry';

/**
 * The options of a codec created without `registry`: the registry comes from the component's
 * `codecServices.schemaRegistry`, the topic (and key or value) from the edge it is used on.
 */
export type UnboundCodecOptions<O> = Omit<O, 'registry' | 'topic' | 'isKey'> & {
  readonly registry?: undefined;
  readonly topic?: undefined;
};

/**
 * @publicApi A schema codec not yet bound to a topic and a registry (`avro({ schema })` without
 * `registry`). Processors, views and emitters bind it when they start (`Codec.bind`) and use the
 * {@link SchemaCodec} it resolves to; its own `encode` and `decode` throw a `SchemaCodecUnboundError`.
 */
export interface UnboundSchemaCodec<T> extends Codec<T> {
  readonly name: string;
  bind(context: CodecBindContext): Promise<SchemaCodec<T>>;
}

/** What an unbound codec makes once bound: the awaited form's codec for the registry and topic. */
export type CreateBound<T> = (registry: SchemaRegistryClient, topic: string, isKey: boolean) => Promise<SchemaCodec<T>>;

function isClient(value: unknown): value is SchemaRegistryClient {
  if (value instanceof SchemaRegistryClient) return true;
  // Another copy of this package (e.g. one @goka/nestjs loaded): the same client by its methods.
  const methods = value as Partial<Record<'register' | 'schemaById' | 'cachedSchema' | 'versions', unknown>> | null | undefined;
  return ['register', 'schemaById', 'cachedSchema', 'versions'].every((name) => typeof methods?.[name as 'register'] === 'function');
}

/** An {@link UnboundSchemaCodec} named `name` whose `bind` calls `create` with the edge's registry and topic. */
export function unboundCodec<T>(name: string, create: CreateBound<T>): UnboundSchemaCodec<T> {
  const unbound = (): never => {
    throw new SchemaCodecUnboundError(name, 'used-unbound');
  };
  return Object.freeze({
    name,
    encode: unbound,
    decode: unbound,
    bind: (context: CodecBindContext): Promise<SchemaCodec<T>> => {
      const registry = context.codecServices[SCHEMA_REGISTRY_SERVICE];
      if (!isClient(registry)) return Promise.reject(new SchemaCodecUnboundError(name, 'no-registry', context.topic));
      return create(registry, context.topic, context.isKey);
    },
  });
}
