/** The schema formats of the Confluent API (`schemaType`; absent means AVRO). */
export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** Credentials sent with every request. */
export type RegistryAuth =
  | { readonly username: string; readonly password: string }
  | { readonly token: string };

/** Options of a {@link SchemaRegistryClient}. */
export interface SchemaRegistryOptions {
  /** Base URL of the Confluent-compatible API, e.g. `http://127.0.0.1:8081` or Apicurio's `…/apis/ccompat/v7`. */
  readonly url: string;
  /** Basic (`{ username, password }`) or bearer (`{ token }`) auth. */
  readonly auth?: RegistryAuth;
  /** Time limit of one request. @default 10000 */
  readonly timeoutMs?: number;
  /** Further attempts after a network error, timeout or 5xx, with doubling backoff from 100 ms. @default 2 */
  readonly retries?: number;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The `fetch` to use (default: the global one). Pass one bound to an undici `Agent` for TLS options
   * (a private CA, client certificates).
   */
  readonly fetch?: typeof fetch;
}

/** A schema as the registry holds it. */
export interface RegisteredSchema {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: SchemaType;
  readonly subject?: string;
  readonly version?: number;
}
