/**
 * Load generator (Goka's 3-messaging `loadgen`): sends clicks and messages over HTTP to a running
 * sample app on this machine, at a bounded rate, and stops by itself.
 *
 *   node sample-app/dist/loadgen.js [--url http://127.0.0.1:3000] [--clicks 200] [--messages 100]
 *                                   [--users 10] [--rate 50]
 */
import { parseArgs } from 'node:util';

const MAX_REQUESTS = 100_000;
const MAX_RATE = 1000;

interface LoadgenOptions {
  readonly url: URL;
  readonly clicks: number;
  readonly messages: number;
  readonly users: number;
  readonly rate: number;
}

function count(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`--${name} must be an integer in 0..${max}, got ${raw}`);
  return value;
}

function parseOptions(argv: readonly string[]): LoadgenOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string', default: process.env['APP_URL'] ?? `http://127.0.0.1:${process.env['PORT'] ?? '3000'}` },
      clicks: { type: 'string', default: '200' },
      messages: { type: 'string', default: '100' },
      users: { type: 'string', default: '10' },
      rate: { type: 'string', default: '50' },
    },
    allowPositionals: false,
  });
  const url = new URL(values.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new RangeError(`loadgen only drives an app on this machine (127.0.0.1), not ${url.hostname}`);
  }
  const rate = count('rate', values.rate, MAX_RATE);
  if (rate === 0) throw new RangeError('--rate must be at least 1');
  const users = count('users', values.users, 1000);
  if (users === 0) throw new RangeError('--users must be at least 1');
  return {
    url,
    clicks: count('clicks', values.clicks, MAX_REQUESTS),
    messages: count('messages', values.messages, MAX_REQUESTS),
    users,
    rate,
  };
}

const words = ['hello', 'world', 'goka', 'kafka', 'nest', 'stream', 'table', 'view', 'click', 'message'];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** The requests to send, clicks and messages interleaved. */
function* requests(options: LoadgenOptions): Generator<{ path: string; body?: unknown }> {
  const users = Array.from({ length: options.users }, (_, index) => `user-${index}`);
  let clicks = options.clicks;
  let messages = options.messages;
  while (clicks > 0 || messages > 0) {
    if (clicks > 0 && (messages === 0 || Math.random() < clicks / (clicks + messages))) {
      clicks -= 1;
      yield { path: `/clicks/${pick(users)}` };
    } else {
      messages -= 1;
      const from = pick(users);
      const to = pick(users.filter((user) => user !== from).concat(users.length === 1 ? [from] : []));
      const content = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => pick(words)).join(' ');
      yield { path: '/messages', body: { from, to, content } };
    }
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const interval = 1000 / options.rate;
  const started = Date.now();
  let sent = 0;
  let failed = 0;
  process.stdout.write(
    `loadgen: ${options.clicks} clicks and ${options.messages} messages of ${options.users} users to ${options.url.origin} at ${options.rate}/s\n`,
  );
  for (const request of requests(options)) {
    const due = started + sent * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const init: RequestInit =
      request.body === undefined
        ? { method: 'POST' }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) };
    try {
      const response = await fetch(new URL(request.path, options.url), { ...init, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) failed += 1;
    } catch (error) {
      failed += 1;
      if (failed === 1) process.stderr.write(`loadgen: ${String(error)} (is the app running at ${options.url.origin}?)\n`);
      if (failed >= 10 && failed === sent + 1) break; // nothing gets through: stop early
    }
    sent += 1;
    if (sent % 100 === 0) process.stdout.write(`loadgen: ${sent} sent, ${failed} failed\n`);
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`loadgen: done, ${sent} requests (${failed} failed) in ${seconds.toFixed(1)} s\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
