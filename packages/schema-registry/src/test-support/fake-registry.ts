import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySchemaRegistry } from '../memory/memory-schema-registry.js';
import type { SchemaType } from '../client/types.js';

/**
 * A {@link MemorySchemaRegistry} served over node:http on 127.0.0.1, for the unit tests of what goes
 * over the wire (auth headers, timeouts, outages): `down` answers 503; `incompatible` subjects answer
 * 409 to a registration; `delayMs` waits before answering; every request is recorded with its headers.
 */
export class FakeRegistry {
  readonly memory = new MemorySchemaRegistry();
  readonly requests: { method: string; path: string; authorization: string | undefined }[] = [];
  readonly incompatible = new Set<string>();
  down = false;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  #server: Server | undefined;

  get url(): string {
    const address = this.#server?.address() as AddressInfo | undefined;
    if (address === undefined) throw new Error('the fake registry is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Stores a schema directly (as another writer would), returning its id. */
  add(subject: string, schema: string, schemaType: SchemaType = 'AVRO'): number {
    return this.memory.register(subject, schema, schemaType);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    const method = req.method ?? '';
    this.requests.push({ method, path, authorization: req.headers.authorization });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify(body));
    };
    if (this.down) return send(503, { error_code: 50301, message: 'down' });
    const subject = decodeURIComponent(path.split('/')[2] ?? '');
    if (method === 'POST' && path.endsWith('/versions') && this.incompatible.has(subject)) {
      return send(409, { error_code: 409, message: 'Schema being registered is incompatible with an earlier schema' });
    }
    const body = chunks.length === 0 ? undefined : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
    const answer = this.memory.handle(method, path, body);
    send(answer.status, answer.body);
  }
}
