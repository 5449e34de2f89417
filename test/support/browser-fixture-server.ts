import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  MonitorActionStatus,
  MonitorErrorBody,
  MonitorOverview,
  MonitorProcessorDetail,
  MonitorProcessorPartition,
  MonitorQueryResult,
  MonitorQuerySources,
  MonitorSample,
  MonitorViewDetail,
} from '@goka/nestjs/monitor';
import { monitorAsset, renderMonitorPage } from '../../packages/nestjs/src/monitor/ui/index.js';
import type { MonitorPageRequest } from '../../packages/nestjs/src/monitor/ui/index.js';

/**
 * A tiny HTTP server for the monitor's pages without Nest or Kafka: the real page shells and
 * assets, and fixture JSON documents of the monitor's contract. The processor `clicks` has 4
 * partitions; partition 3 recovers during the first `recoverForRequests` detail requests, then runs,
 * and every detail request adds a sample, so charts grow as the page polls.
 */
export interface MonitorFixtureServer {
  readonly url: string;
  /** Detail requests served for `clicks`. */
  readonly processorRequests: number;
  close(): Promise<void>;
}

const BASE = '/goka';
const TITLE = 'Fixture monitor';
const INTERVAL_MS = 300;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const TABLE: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['alice', { clicks: 42, lastSeen: '2026-01-01T12:00:00Z', tags: ['a', 'b'] }],
  ['bob', 7],
]);

function sample(i: number): MonitorSample {
  const wave = Math.sin(i / 2);
  return {
    t: T0 + i * INTERVAL_MS,
    inputRate: i === 0 ? undefined : 120 + 40 * wave,
    outputRate: i === 0 ? undefined : 60 + 20 * wave,
    tableRate: i === 0 ? undefined : 118 + 38 * wave,
    recoveryRate: i === 0 ? undefined : i < 3 ? 900 : 0,
    lag: Math.max(0, 40 - 5 * i),
    partitionLag: { 0: Math.max(0, 20 - 3 * i), 1: Math.max(0, 12 - 2 * i), 3: Math.max(0, 8 - i) },
  };
}

function partition(n: number, recovering: boolean): MonitorProcessorPartition {
  const state = n === 2 ? 'standby' : n === 3 && recovering ? 'recovering' : 'running';
  return {
    partition: n,
    mode: n === 2 ? 'standby' : 'active',
    state,
    recovery: {
      total: 2000,
      done: state === 'recovering' ? 1200 : 2000,
      progress: state === 'recovering' ? 0.6 : 1,
      rate: state === 'recovering' ? 900 : undefined,
      etaSeconds: state === 'recovering' ? 0.9 : 0,
      startTime: T0,
      endTime: state === 'recovering' ? undefined : T0 + 2000,
    },
    inputs: n === 2 ? [] : [{ topic: 'user-clicks', offset: 123_456 + n, hwm: 123_466 + n, lag: 10, committed: 123_456 + n, rate: 30 }],
    tableRate: n === 2 ? 5 : 29.5,
  };
}

function viewDetail(samples: number): MonitorViewDetail {
  return {
    table: 'clicks-table',
    codec: 'json',
    phase: 'ready',
    state: 'running',
    partitions: { running: 4 },
    sampledAt: T0 + samples * INTERVAL_MS,
    intervalMs: INTERVAL_MS,
    partitionList: [0, 1, 2, 3].map((n) => ({
      partition: n,
      state: 'running' as const,
      offset: 500 + n,
      hwm: 501 + n,
      lag: 0,
      rate: 12,
      recovery: { total: 500, done: 500, progress: 1, rate: undefined, etaSeconds: 0, startTime: T0, endTime: T0 + 1000 },
    })),
    series: Array.from({ length: samples }, (_, i) => sample(i)),
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function notFound(response: ServerResponse, message: string): void {
  const body: MonitorErrorBody = { statusCode: 404, error: 'Not Found', message };
  json(response, 404, body);
}

async function readBody(request: IncomingMessage): Promise<{ value?: string }> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text ? (JSON.parse(text) as { value?: string }) : {};
}

/** Starts the fixture server on a free port of 127.0.0.1. */
export async function startMonitorFixtureServer(recoverForRequests = 3): Promise<MonitorFixtureServer> {
  let processorRequests = 0;
  let action: MonitorActionStatus = {
    name: 'clicks.reset',
    description: 'Sets every counter to the value (default 0)',
    running: false,
    startedAt: undefined,
    finishedAt: undefined,
    value: undefined,
    lastError: undefined,
    runs: 0,
  };

  const processorDetail = (): MonitorProcessorDetail => {
    processorRequests += 1;
    const recovering = processorRequests <= recoverForRequests;
    const partitionList = [0, 1, 2, 3].map((n) => partition(n, recovering));
    return {
      group: 'clicks',
      className: 'ClickCounter',
      phase: 'ready',
      guarantee: 'exactly-once',
      transactions: { committed: 12, aborted: 1, meanCommitMs: 8, lastAbortReason: undefined },
      state: recovering ? 'setup' : 'running',
      edges: [
        { kind: 'input', topic: 'user-clicks', codec: 'string' },
        { kind: 'lookup', topic: 'users-table', codec: 'json' },
        { kind: 'loop', topic: 'clicks-loop', codec: 'int64' },
        { kind: 'table', topic: 'clicks-table', codec: 'json' },
        { kind: 'output', topic: 'click-alerts', codec: 'json' },
      ],
      partitions: recovering ? { running: 2, standby: 1, recovering: 1 } : { running: 3, standby: 1 },
      visitors: ['reset'],
      sampledAt: T0 + processorRequests * INTERVAL_MS,
      intervalMs: INTERVAL_MS,
      partitionList,
      inputs: [{ topic: 'user-clicks', count: 4000, bytes: 120_000, rate: 120, bytesRate: 3600, lag: 30 }],
      outputs: [{ topic: 'click-alerts', count: 900, bytes: 45_000, rate: 60, bytesRate: 3000 }],
      lookups: [{ ...viewDetail(2), table: 'users-table' }],
      callbackErrors: 0,
      errorPolicy: { retried: 0, skipped: 0, deadLettered: 0 },
      commitLatencyMs: 12.5,
      series: Array.from({ length: processorRequests }, (_, i) => sample(i)),
    };
  };

  const overview = (): MonitorOverview => ({
    title: TITLE,
    basePath: BASE,
    intervalMs: INTERVAL_MS,
    ready: true,
    processors: [
      {
        group: 'clicks',
        className: 'ClickCounter',
        phase: 'ready',
        state: 'running',
        edges: [
          { kind: 'input', topic: 'user-clicks', codec: 'string' },
          { kind: 'table', topic: 'clicks-table', codec: 'json' },
          { kind: 'output', topic: 'click-alerts', codec: 'json' },
        ],
        partitions: { running: 3, standby: 1 },
        visitors: ['reset'],
      },
    ],
    views: [{ table: 'clicks-table', codec: 'json', phase: 'ready', state: 'running', partitions: { running: 4 } }],
    metrics: true,
  });

  const api = async (request: IncomingMessage, response: ServerResponse, path: string, url: URL): Promise<void> => {
    const [head, name, verb] = path.split('/').map((part) => decodeURIComponent(part));
    if (head === 'overview') return json(response, 200, overview());
    if (head === 'processors') return name === 'clicks' ? json(response, 200, processorDetail()) : notFound(response, `Processor '${name}' not found`);
    if (head === 'views') return name === 'clicks-table' ? json(response, 200, viewDetail(5)) : notFound(response, `View '${name}' not found`);
    if (head === 'query' && name === undefined) {
      const sources: MonitorQuerySources = {
        sources: [
          { name: 'clicks', kind: 'processor', table: 'clicks-table', codec: 'json' },
          { name: 'clicks-table', kind: 'view', table: 'clicks-table', codec: 'json' },
          { name: 'ghost', kind: 'view', table: 'ghost', codec: 'string' },
        ],
      };
      return json(response, 200, sources);
    }
    if (head === 'query') {
      if (name === 'ghost') return notFound(response, `Source 'ghost' not found`);
      const key = url.searchParams.get('key') ?? '';
      if (key === 'undecodable') {
        const unreadable: MonitorErrorBody = {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: `The value of key 'undecodable' in '${name ?? ''}' cannot be read (codec 'json'): Unexpected token`,
        };
        return json(response, 422, unreadable);
      }
      const value = TABLE.get(key);
      const result: MonitorQueryResult =
        value === undefined
          ? { source: name ?? '', key, found: false, text: `Key '${key}' not found in '${name ?? ''}'` }
          : { source: name ?? '', key, found: true, value, text: JSON.stringify(value, null, 2) };
      return json(response, 200, result);
    }
    if (head === 'actions' && name === undefined) return json(response, 200, [action]);
    if (head === 'actions' && name === action.name && request.method === 'POST') {
      // Like the monitor: actions only take JSON posts (CSRF), so the page script must send JSON.
      if (request.headers['content-type']?.split(';')[0] !== 'application/json') {
        const refused: MonitorErrorBody = { statusCode: 415, error: 'Unsupported Media Type', message: 'actions need Content-Type: application/json' };
        return json(response, 415, refused);
      }
      const body = await readBody(request);
      if (verb === 'start') {
        action = { ...action, running: true, startedAt: Date.now(), finishedAt: undefined, value: body.value, runs: action.runs + 1 };
      } else {
        action = { ...action, running: false, finishedAt: Date.now(), lastError: 'stopped by the user' };
      }
      return json(response, 201, action);
    }
    return notFound(response, `No route ${path}`);
  };

  const page = (path: string): MonitorPageRequest | undefined => {
    const [head, name] = path.split('/').map((part) => decodeURIComponent(part));
    if (head === '') return { kind: 'index', basePath: BASE, title: TITLE };
    if (head === 'query' || head === 'actions') return { kind: head, basePath: BASE, title: TITLE };
    if (head === 'processors' && name) return { kind: 'processor', basePath: BASE, title: TITLE, name };
    if (head === 'views' && name) return { kind: 'view', basePath: BASE, title: TITLE, name };
    return undefined;
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const path = url.pathname.startsWith(`${BASE}/`) ? url.pathname.slice(BASE.length + 1) : undefined;
    const fail = (error: unknown): void => json(response, 500, { statusCode: 500, error: 'Error', message: String(error) });
    if (path === undefined) return notFound(response, 'outside the monitor');
    if (path.startsWith('api/')) return void api(request, response, path.slice(4), url).catch(fail);
    if (path.startsWith('assets/')) {
      const asset = monitorAsset(path.slice(7));
      if (!asset) return notFound(response, 'no such asset');
      response.writeHead(200, { 'content-type': asset.contentType });
      return void response.end(asset.body);
    }
    const pageRequest = page(path);
    if (!pageRequest) return notFound(response, 'no such page');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(renderMonitorPage(pageRequest));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    get processorRequests() {
      return processorRequests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
