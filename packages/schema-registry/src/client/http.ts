import { setTimeout as delay } from 'node:timers/promises';
import { SchemaRegistryRequestError, SchemaRegistryUnavailableError } from '../errors.js';
import type { SchemaRegistryOptions } from './types.js';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function authHeader(options: SchemaRegistryOptions): Record<string, string> {
  const auth = options.auth;
  if (auth === undefined) return {};
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

/** A JSON request to the registry: timeouts, retries of outages, errors as GokaErrors. */
export class RegistryHttp {
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #fetch: typeof fetch;

  constructor(options: SchemaRegistryOptions) {
    this.#base = options.url.replace(/\/+$/, '');
    this.#headers = { accept: CONTENT_TYPE, ...options.headers, ...authHeader(options) };
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 2;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Sends `method path` (with a JSON body) and returns the parsed JSON answer. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.#once<T>(method, path, body);
      } catch (error) {
        if (!(error instanceof SchemaRegistryUnavailableError) || attempt >= this.#retries) throw error;
        await delay(100 * 2 ** attempt);
        attempt += 1;
      }
    }
  }

  async #once<T>(method: string, path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': CONTENT_TYPE },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer in ${this.#timeoutMs} ms` : String((error as Error).cause ?? error);
      throw new SchemaRegistryUnavailableError(`schema registry ${this.#base} unreachable for ${method} ${path}: ${reason}`, { cause: error });
    }
    const text = await response.text();
    if (response.status >= 500) {
      throw new SchemaRegistryUnavailableError(`schema registry ${this.#base} answered ${response.status} to ${method} ${path}: ${text.slice(0, 300)}`);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      throw new SchemaRegistryRequestError({ method, path, status: response.status, errorCode: undefined, message: `not JSON: ${text.slice(0, 200)}` }, { cause: error });
    }
    if (!response.ok) {
      const detail = (json ?? {}) as { error_code?: unknown; message?: unknown };
      throw new SchemaRegistryRequestError({
        method,
        path,
        status: response.status,
        errorCode: typeof detail.error_code === 'number' ? detail.error_code : undefined,
        message: typeof detail.message === 'string' ? detail.message : text.slice(0, 300),
      });
    }
    return json as T;
  }
}
