/**
 * Client options of `GokaModule.forRoot({ schemaRegistry })`: those of `@goka/schema-registry`'s
 * `SchemaRegistryClient` (declared here so that this package's types do not need the optional one).
 *
 * @publicApi
 */
export interface GokaSchemaRegistryOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:8081` or Apicurio's `…/apis/ccompat/v7`. */
  readonly url: string;
  /** Basic (`{ username, password }`) or bearer (`{ token }`) auth. */
  readonly auth?: { readonly username: string; readonly password: string } | { readonly token: string };
  /** Time limit of one request. @default 10000 */
  readonly timeoutMs?: number;
  /** Further attempts after a network error, timeout or 5xx. @default 2 */
  readonly retries?: number;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use, e.g. one bound to an undici `Agent` for TLS options. @default the global fetch */
  readonly fetch?: typeof fetch;
}

/**
 * A registry client for `GokaModule.forRoot({ schemaRegistry })`: what `@goka/schema-registry`'s
 * `SchemaRegistryClient` offers (only its shape is checked).
 *
 * @publicApi
 */
export interface GokaSchemaRegistryClient {
  register(subject: string, schema: string, schemaType: 'AVRO' | 'PROTOBUF' | 'JSON'): Promise<number>;
  schemaById(id: number): Promise<unknown>;
  cachedSchema(id: number): unknown;
  versions(subject: string): Promise<number[]>;
}
