import { MemorySchemaRegistry, SchemaRegistryClient } from '@goka/schema-registry';
import type { SampleConfig } from '../config/sample-config.js';
import { FEED_SCHEMA, MESSAGE_SCHEMA } from '../messaging/messaging.types.js';
import { Tables, Topics } from './topics.js';

/** Injection token of the app's {@link SampleSchemaRegistry}. */
export const SAMPLE_SCHEMA_REGISTRY = Symbol('SAMPLE_SCHEMA_REGISTRY');

/** The app's schema registry: the one at `SCHEMA_REGISTRY_URL`, else an embedded in-memory one. */
export interface SampleSchemaRegistry {
  readonly mode: 'embedded' | 'url';
  readonly client: SchemaRegistryClient;
}

/**
 * The registry `GokaModule.forRoot({ schemaRegistry })` gets. The embedded one registers the app's
 * schemas first, in a fixed order, so their ids are the same on every start: the embedded Kafka's
 * journal keeps records (with their schema ids) across restarts, the in-memory registry does not.
 */
export function sampleSchemaRegistry(config: SampleConfig): SampleSchemaRegistry {
  if (config.schemaRegistryUrl !== undefined) {
    return { mode: 'url', client: new SchemaRegistryClient({ url: config.schemaRegistryUrl, timeoutMs: 5_000 }) };
  }
  const memory = new MemorySchemaRegistry();
  memory.register(`${Topics.sent}-value`, JSON.stringify(MESSAGE_SCHEMA));
  memory.register(`${Tables.collector}-value`, JSON.stringify(FEED_SCHEMA));
  return { mode: 'embedded', client: memory.client() };
}
