import { CodecError } from '@goka/core';
import { SchemaNotLoadedError, SchemaRegistryRequestError } from './errors.js';
import type { SchemaRegistryClient } from './client/schema-registry-client.js';
import type { RegisteredSchema, SchemaType } from './client/types.js';
import type { SubjectOptions } from './subject.js';

/** Options every schema codec takes. */
export interface SchemaCodecOptions extends SubjectOptions {
  readonly registry: SchemaRegistryClient;
  /**
   * Register the codec's schema under its subject when the codec is created (Confluent's
   * `auto.register.schemas`). Turn it off where schemas are registered by a pipeline: the codec then
   * looks up `version`, or else its exact schema. @default true
   */
  readonly autoRegister?: boolean;
  /** With `autoRegister: false`: encode with this version of the subject (`'latest'` or a number). */
  readonly version?: number | 'latest';
  /**
   * Load every version of the subject when the codec is created, so records written with any of them
   * decode without waiting for the registry. @default true
   */
  readonly preload?: boolean;
}

/** The schema a codec encodes with: its id and text. */
export async function resolveWriter(options: SchemaCodecOptions, subject: string, schema: string, type: SchemaType): Promise<RegisteredSchema> {
  const { registry } = options;
  if (options.autoRegister ?? true) {
    const id = await registry.register(subject, schema, type);
    return { id, schema, schemaType: type, subject };
  }
  if (options.version !== undefined) return registry.version(subject, options.version);
  return registry.lookup(subject, schema, type);
}

/** Caches every version of `subject` in the client (an absent subject has none). */
export async function preloadSubject(options: SchemaCodecOptions, subject: string): Promise<void> {
  if (options.preload === false) return;
  for (const version of await options.registry.versions(subject)) await options.registry.version(subject, version);
}

/**
 * The per-schema-id decoders of one codec, built synchronously from the client's cache. An id not in
 * the cache starts its fetch and throws a retriable {@link SchemaNotLoadedError}: `decode` is
 * synchronous in @goka/core, so it cannot wait for the registry. An id the registry answered 404 for
 * is a plain (not retriable) CodecError the next time.
 */
export class DecoderCache<D> {
  readonly #decoders = new Map<number, D>();
  readonly #failures = new Map<number, unknown>();

  constructor(
    private readonly registry: SchemaRegistryClient,
    private readonly codec: string,
    private readonly build: (schema: RegisteredSchema) => D,
  ) {}

  get(id: number): D {
    const known = this.#decoders.get(id);
    if (known !== undefined) return known;
    const schema = this.registry.cachedSchema(id);
    if (schema !== undefined) {
      let decoder: D;
      try {
        decoder = this.build(schema);
      } catch (error) {
        // e.g. an Avro writer schema this codec's schema cannot read (no default for a field it lacks)
        const reason = `cannot read schema id ${id} with this codec's schema: ${error instanceof Error ? error.message : String(error)}`;
        throw new CodecError({ codec: this.codec, operation: 'decode', reason, cause: error });
      }
      this.#decoders.set(id, decoder);
      return decoder;
    }
    const failure = this.#failures.get(id);
    this.#failures.delete(id);
    if (failure instanceof SchemaRegistryRequestError && failure.status === 404) {
      // The registry does not know the id: waiting will not help (a poison record, not an outage).
      throw new CodecError({ codec: this.codec, operation: 'decode', reason: `schema id ${id} is not in the registry`, cause: failure });
    }
    this.registry.schemaById(id).then(
      () => undefined,
      (error: unknown) => this.#failures.set(id, error),
    );
    throw new SchemaNotLoadedError(id, failure === undefined ? {} : { cause: failure });
  }

  /** Fetches `id` ahead of use (e.g. ids a test or a migration knows of). */
  async load(id: number): Promise<void> {
    await this.registry.schemaById(id);
  }
}
