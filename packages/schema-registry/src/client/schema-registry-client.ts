import { SchemaIncompatibleError, SchemaRegistryRequestError } from '../errors.js';
import { RegistryHttp } from './http.js';
import type { RegisteredSchema, SchemaRegistryOptions, SchemaType } from './types.js';

interface SchemaAnswer {
  readonly id?: number;
  readonly schema: string;
  readonly schemaType?: SchemaType;
  readonly subject?: string;
  readonly version?: number;
}

const enc = encodeURIComponent;

function toRegistered(answer: SchemaAnswer, id: number): RegisteredSchema {
  return {
    id,
    schema: answer.schema,
    schemaType: answer.schemaType ?? 'AVRO',
    ...(answer.subject === undefined ? {} : { subject: answer.subject }),
    ...(answer.version === undefined ? {} : { version: answer.version }),
  };
}

/**
 * @publicApi A small client of the Confluent Schema Registry API (also served by Apicurio under
 * `/apis/ccompat/v7`, Redpanda, Karapace) over `fetch`. Schemas by id are cached for the client's life
 * (ids are immutable) and fetched once even when many decodes ask at the same time.
 */
export class SchemaRegistryClient {
  readonly #http: RegistryHttp;
  readonly #byId = new Map<number, RegisteredSchema>();
  readonly #inFlight = new Map<number, Promise<RegisteredSchema>>();

  constructor(options: SchemaRegistryOptions) {
    this.#http = new RegistryHttp(options);
  }

  /**
   * Registers `schema` under `subject` (a no-op answering the same id when it is already there) and
   * returns its id. A compatibility rejection is a {@link SchemaIncompatibleError} naming the subject and
   * the latest version.
   */
  async register(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    let answer: { id: number };
    try {
      answer = await this.#http.request<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, bodyOf(schema, schemaType));
    } catch (error) {
      if (!(error instanceof SchemaRegistryRequestError) || error.status !== 409) throw error;
      const latest = await this.latest(subject).then((s) => s.version, () => undefined);
      throw new SchemaIncompatibleError(subject, latest, error.message, { cause: error });
    }
    this.#remember({ id: answer.id, schema, schemaType, subject });
    return answer.id;
  }

  /** The registered version of exactly `schema` under `subject` (404 when it was never registered). */
  async lookup(subject: string, schema: string, schemaType: SchemaType): Promise<RegisteredSchema> {
    const answer = await this.#http.request<SchemaAnswer & { id: number }>('POST', `/subjects/${enc(subject)}`, bodyOf(schema, schemaType));
    return this.#remember(toRegistered(answer, answer.id));
  }

  /** A version of `subject` (a number, or `'latest'`). */
  async version(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const answer = await this.#http.request<SchemaAnswer & { id: number }>('GET', `/subjects/${enc(subject)}/versions/${version}`);
    return this.#remember(toRegistered(answer, answer.id));
  }

  latest(subject: string): Promise<RegisteredSchema> {
    return this.version(subject, 'latest');
  }

  /** The version numbers of `subject`; empty when the subject does not exist. */
  async versions(subject: string): Promise<number[]> {
    try {
      return await this.#http.request<number[]>('GET', `/subjects/${enc(subject)}/versions`);
    } catch (error) {
      if (error instanceof SchemaRegistryRequestError && error.status === 404) return [];
      throw error;
    }
  }

  /** The schema of `id`: from the cache, else one request shared by every concurrent caller. */
  schemaById(id: number): Promise<RegisteredSchema> {
    const cached = this.#byId.get(id);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.#inFlight.get(id);
    if (pending === undefined) {
      pending = this.#http
        .request<SchemaAnswer>('GET', `/schemas/ids/${id}`)
        .then((answer) => this.#remember(toRegistered(answer, id)))
        .finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  /** The schema of `id` when it is cached (synchronous: what a codec's `decode` can use). */
  cachedSchema(id: number): RegisteredSchema | undefined {
    return this.#byId.get(id);
  }

  #remember(schema: RegisteredSchema): RegisteredSchema {
    if (!this.#byId.has(schema.id)) this.#byId.set(schema.id, schema);
    return schema;
  }
}

function bodyOf(schema: string, schemaType: SchemaType): Record<string, string> {
  // Confluent's API leaves schemaType out for Avro; some registries reject an explicit AVRO on old versions.
  return schemaType === 'AVRO' ? { schema } : { schema, schemaType };
}
