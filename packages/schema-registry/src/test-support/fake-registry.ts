import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: string;
}

/**
 * A Confluent-compatible registry in memory over node:http on 127.0.0.1, for unit tests: register,
 * lookup, versions, schemas by id. `down` answers 503; `incompatible` subjects answer 409; every
 * request is recorded with its headers.
 */
export class FakeRegistry {
  readonly requests: { method: string; path: string; authorization: string | undefined }[] = [];
  readonly subjects = new Map<string, Stored[]>();
  readonly byId = new Map<number, Stored>();
  readonly incompatible = new Set<string>();
  down = false;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  #server: Server | undefined;
  #nextId = 1;

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
  add(subject: string, schema: string, schemaType = 'AVRO'): number {
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((v) => v.schema === schema);
    if (existing !== undefined) return existing.id;
    const stored = { id: this.#nextId++, schema, schemaType };
    versions.push(stored);
    this.subjects.set(subject, versions);
    this.byId.set(stored.id, stored);
    return stored.id;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify(body));
    };
    if (this.down) return send(503, { error_code: 50301, message: 'down' });
    const body = (chunks.length === 0 ? { schema: '' } : JSON.parse(Buffer.concat(chunks).toString('utf8'))) as { schema: string; schemaType?: string };
    const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const notFound = (code: number): void => send(404, { error_code: code, message: 'not found' });
    if (parts[0] === 'schemas' && parts[1] === 'ids') {
      const stored = this.byId.get(Number(parts[2]));
      return stored === undefined ? notFound(40403) : send(200, { schema: stored.schema, schemaType: stored.schemaType });
    }
    if (parts[0] !== 'subjects' || parts[1] === undefined) return notFound(404);
    const subject = parts[1];
    const versions = this.subjects.get(subject) ?? [];
    if (req.method === 'POST' && parts[2] === 'versions') {
      if (this.incompatible.has(subject)) return send(409, { error_code: 409, message: 'Schema being registered is incompatible with an earlier schema' });
      return send(200, { id: this.add(subject, body.schema, body.schemaType ?? 'AVRO') });
    }
    if (req.method === 'POST') {
      const index = versions.findIndex((v) => v.schema === body.schema);
      const found = versions[index];
      return found === undefined ? notFound(40403) : send(200, { subject, version: index + 1, ...found });
    }
    if (versions.length === 0) return notFound(40401);
    if (parts[3] === undefined) return send(200, versions.map((_, i) => i + 1));
    const index = parts[3] === 'latest' ? versions.length - 1 : Number(parts[3]) - 1;
    const found = versions[index];
    return found === undefined ? notFound(40402) : send(200, { subject, version: index + 1, ...found });
  }
}
