import { SchemaRegistryClient } from '../client/schema-registry-client.js';
import type { SchemaRegistryOptions, SchemaType } from '../client/types.js';

/** A schema as the memory registry stores it. */
export interface StoredSchema {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: SchemaType;
}

/** An answer of the registry: HTTP status and JSON body. */
export interface MemoryRegistryAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The base URL a {@link MemorySchemaRegistry.client} is given (never requested over the network). */
export const MEMORY_REGISTRY_URL = 'http://memory-schema-registry.invalid';

const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'PROTOBUF', 'JSON'];

const notFound = (code: number, message: string): MemoryRegistryAnswer => ({ status: 404, body: { error_code: code, message } });

/**
 * @publicApi A schema registry in memory, for development and tests (as `MemoryKafka` is for Kafka):
 * the part of the Confluent API that {@link SchemaRegistryClient} uses — register (the same schema
 * under a subject answers its id again; the same text under another subject shares the id), look up,
 * versions, `latest`, schemas by id, the subject list, and the compatibility config, which is `NONE`
 * (every registration is accepted). It answers in-process through {@link fetch}, so
 * `registry.client()` needs no server; nothing is kept when the process ends.
 *
 * @example
 * const registry = new MemorySchemaRegistry();
 * GokaModule.forRoot({ kafka: new MemoryKafka(), schemaRegistry: registry.client() });
 */
export class MemorySchemaRegistry {
  readonly #subjects = new Map<string, StoredSchema[]>();
  readonly #byId = new Map<number, StoredSchema>();
  #nextId = 1;

  /**
   * A `fetch` answering the registry's requests in-process (whatever the URL's origin): pass it as a
   * {@link SchemaRegistryClient}'s `fetch` option, or use {@link client}.
   */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const url = new URL(request.url);
    const answer = this.handle(request.method, url.pathname, text === '' ? undefined : (JSON.parse(text) as unknown));
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
  };

  /** A client of this registry (`url` and `fetch` are set; the other options as given). */
  client(options: Omit<SchemaRegistryOptions, 'url' | 'fetch'> = {}): SchemaRegistryClient {
    return new SchemaRegistryClient({ ...options, url: MEMORY_REGISTRY_URL, fetch: this.fetch });
  }

  /** The registered subjects, in registration order. */
  subjects(): string[] {
    return [...this.#subjects.keys()];
  }

  /** The versions of `subject`, oldest first (empty for an unknown subject). */
  versions(subject: string): readonly StoredSchema[] {
    return this.#subjects.get(subject) ?? [];
  }

  /** The schema of `id`, if registered. */
  schemaById(id: number): StoredSchema | undefined {
    return this.#byId.get(id);
  }

  /**
   * Registers `schema` under `subject` as another writer would (the same schema again is a no-op)
   * and returns its id.
   */
  register(subject: string, schema: string, schemaType: SchemaType = 'AVRO'): number {
    const versions = this.#subjects.get(subject) ?? [];
    const existing = versions.find((v) => v.schema === schema && v.schemaType === schemaType);
    if (existing !== undefined) return existing.id;
    const shared = [...this.#byId.values()].find((s) => s.schema === schema && s.schemaType === schemaType);
    const stored = shared ?? { id: this.#nextId++, schema, schemaType };
    versions.push(stored);
    this.#subjects.set(subject, versions);
    this.#byId.set(stored.id, stored);
    return stored.id;
  }

  /**
   * Answers one request of the Confluent API: `method`, the path below the base URL (a prefix such
   * as Apicurio's `/apis/ccompat/v7` is ignored) and the parsed JSON body.
   */
  handle(method: string, path: string, body: unknown): MemoryRegistryAnswer {
    const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const at = Math.max(parts.indexOf('schemas'), parts.indexOf('subjects'), parts.indexOf('config'));
    const [root, first, second, third] = at < 0 ? [] : parts.slice(at);
    if (root === 'config') {
      return method === 'GET' ? { status: 200, body: { compatibilityLevel: 'NONE' } } : { status: 200, body: { compatibility: 'NONE' } };
    }
    if (root === 'schemas' && first === 'ids' && method === 'GET') {
      const stored = this.#byId.get(Number(second));
      return stored === undefined ? notFound(40403, `schema ${second} not found`) : { status: 200, body: { schema: stored.schema, schemaType: stored.schemaType } };
    }
    if (root !== 'subjects') return notFound(404, `no such resource: ${method} ${path}`);
    if (first === undefined) return { status: 200, body: this.subjects() };
    if (method === 'POST') return this.#post(first, second, body);
    const versions = this.#subjects.get(first);
    if (versions === undefined) return notFound(40401, `subject ${first} not found`);
    if (second !== 'versions') return notFound(404, `no such resource: ${method} ${path}`);
    if (third === undefined) return { status: 200, body: versions.map((_, i) => i + 1) };
    const index = third === 'latest' ? versions.length - 1 : Number(third) - 1;
    const found = versions[index];
    return found === undefined ? notFound(40402, `version ${third} of subject ${first} not found`) : { status: 200, body: { subject: first, version: index + 1, ...found } };
  }

  /** `POST /subjects/{subject}/versions` (register) and `POST /subjects/{subject}` (look up). */
  #post(subject: string, versionsPath: string | undefined, body: unknown): MemoryRegistryAnswer {
    const request = (body ?? {}) as { schema?: unknown; schemaType?: unknown };
    const schemaType = request.schemaType ?? 'AVRO';
    if (typeof request.schema !== 'string' || !SCHEMA_TYPES.includes(schemaType as SchemaType)) {
      return { status: 422, body: { error_code: 42201, message: 'a schema (text) and a schemaType of AVRO, PROTOBUF or JSON are required' } };
    }
    if (versionsPath === 'versions') return { status: 200, body: { id: this.register(subject, request.schema, schemaType as SchemaType) } };
    const versions = this.#subjects.get(subject);
    if (versions === undefined) return notFound(40401, `subject ${subject} not found`);
    const index = versions.findIndex((v) => v.schema === request.schema && v.schemaType === schemaType);
    const found = versions[index];
    return found === undefined ? notFound(40403, `schema not found under subject ${subject}`) : { status: 200, body: { subject, version: index + 1, ...found } };
  }
}
