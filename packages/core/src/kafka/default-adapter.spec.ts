import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What `@goka/core` loads, checked on the built package in a child Node process (the unit tests
 * themselves run on the sources through Vitest, whose module graph is its own): importing it and using
 * `MemoryKafka` loads neither kafkajs nor `@goka/kafkajs`, and a component given `brokers` where
 * `@goka/kafkajs` is not installed fails with a typed error. `beforeAll` builds core first (`tsc -b`,
 * which does nothing when the build is up to date), so the child runs the current sources.
 */

const run = promisify(execFile);
const coreDir = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = join(coreDir, '..', '..');
const BUILD_TIMEOUT_MS = 120_000;

/** Runs `script` as an ES module in a child Node process in `cwd` and returns what it printed last, parsed. */
async function node<T>(script: string, cwd: string, env: Record<string, string> = {}): Promise<T> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

beforeAll(async () => {
  const tsc = createRequire(join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-b', join(coreDir, 'tsconfig.build.json')], { cwd: repoRoot, timeout: BUILD_TIMEOUT_MS }).catch(
    (error: { stdout?: string; message: string }) => {
      throw new Error(`building @goka/core failed: ${error.stdout ?? ''}${error.message}`);
    },
  );
}, BUILD_TIMEOUT_MS);

/**
 * Records every module specifier the process resolves (and the URL it resolved to) in the file named by
 * `GOKA_RESOLVE_LOG`, through resolve hooks registered before `@goka/core` is imported; then runs a
 * processor, an emitter and a view on `MemoryKafka`. Prints whether `@goka/kafkajs` could have been
 * loaded (it is resolvable here: the test would mean nothing otherwise), the counts the view read, and
 * the CommonJS modules loaded (kafkajs is CommonJS; a `require` passes no ESM hook).
 */
const MODULE_GRAPH_SCRIPT = `
import { createRequire, register } from 'node:module';
const available = import.meta.resolve('@goka/kafkajs');
const hooks = [
  "import { appendFileSync } from 'node:fs';",
  'let log;',
  'export function initialize(data) { log = data.log; }',
  'export async function resolve(specifier, context, next) {',
  '  const result = await next(specifier, context);',
  "  appendFileSync(log, specifier + '\\\\t' + result.url + '\\\\n');",
  '  return result;',
  '}',
].join('\\n');
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { log: process.env.GOKA_RESOLVE_LOG } });

const { codecs, defineGroup, Emitter, input, MemoryKafka, persist, Processor, silentLogger, View } = await import('@goka/core');
const kafka = new MemoryKafka();
kafka.createTopic('clicks', { partitions: 2 });
const counter = defineGroup(
  'counter',
  input('clicks', codecs.string, (ctx) => ctx.setValue((ctx.value() ?? 0) + 1)),
  persist(codecs.int64),
);
const processor = new Processor(counter, { kafka, logger: silentLogger });
const running = processor.run();
await processor.waitForReady();
const tableWrites = new Promise((resolve) => {
  let count = 0;
  const stop = kafka.onAppend((message) => {
    if (message.topic === 'counter-table' && ++count === 3) {
      stop();
      resolve();
    }
  });
});
const emitter = new Emitter('clicks', codecs.string, { kafka, logger: silentLogger });
await Promise.all([emitter.emit('alice', 'a'), emitter.emit('bob', 'b'), emitter.emit('alice', 'c')]);
await emitter.finish();
await tableWrites;
const view = new View('counter-table', codecs.int64, { kafka, logger: silentLogger });
const viewing = view.run();
await view.waitRunning();
const counts = { alice: await view.get('alice'), bob: await view.get('bob') };
await view.stop();
await viewing;
await processor.stop();
await running;
const commonJs = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({ available, counts, commonJs }));
`;

describe('@goka/core without kafkajs', () => {
  let logDir: string;

  beforeAll(() => {
    logDir = mkdtempSync(join(tmpdir(), 'goka-module-graph-'));
  });

  afterAll(() => {
    rmSync(logDir, { recursive: true, force: true });
  });

  it('importing @goka/core and running a processor, an emitter and a view on MemoryKafka loads neither kafkajs nor @goka/kafkajs', async () => {
    const log = join(logDir, 'resolved.tsv');
    const result = await node<{ available: string; counts: Record<string, number>; commonJs: string[] }>(MODULE_GRAPH_SCRIPT, coreDir, {
      GOKA_RESOLVE_LOG: log,
    });
    // @goka/kafkajs was there to be loaded (the workspace links it as core's optional peer).
    expect(result.available).toMatch(/^file:.*kafkajs/);
    expect(result.counts).toEqual({ alice: 2, bob: 1 });
    const resolved = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, string]);
    // The hooks saw the import of @goka/core and its own modules (so they were in place)...
    expect(resolved.some(([specifier, url]) => specifier === '@goka/core' && url.endsWith('/packages/core/dist/index.js'))).toBe(true);
    expect(resolved.length).toBeGreaterThan(20);
    // ...and nothing of kafkajs: neither a specifier nor a resolved file.
    expect(resolved.filter(([specifier, url]) => /kafkajs/i.test(specifier) || /kafkajs/i.test(url))).toEqual([]);
    expect(result.commonJs.filter((path) => /kafkajs/i.test(path))).toEqual([]);
  }, 60_000);
});

/** The errors a component given `brokers` fails with where `@goka/kafkajs` is not installed. */
interface Failure {
  readonly name: string;
  readonly typed: boolean;
  readonly retriable: boolean;
  readonly component: string;
  readonly packageName: string;
  readonly message: string;
  readonly causeCode: string;
}

const MISSING_PACKAGE_SCRIPT = `
let resolvable = true;
try {
  import.meta.resolve('@goka/kafkajs');
} catch {
  resolvable = false;
}
const { codecs, defineGroup, Emitter, input, KafkaAdapterMissingError, Processor, silentLogger, View } = await import('@goka/core');
const failure = (e) => ({
  name: e?.name,
  typed: e instanceof KafkaAdapterMissingError,
  retriable: e?.retriable,
  component: e?.component,
  packageName: e?.packageName,
  message: e?.message,
  causeCode: e?.cause?.code,
});
const options = { brokers: ['127.0.0.1:9092'], logger: silentLogger };
const emitter = new Emitter('clicks', codecs.string, options);
const started = await emitter.start().then(() => 'started', failure);
const emitted = await emitter.emit('k', 'v').then(() => 'emitted', failure);
await emitter.finish();
const view = new View('clicks-table', codecs.string, options);
const viewed = await view.run().then(() => 'ran', failure);
const processor = new Processor(defineGroup('clicks', input('clicks', codecs.string, () => {})), options);
const processed = await processor.run().then(() => 'ran', failure);
console.log(JSON.stringify({ resolvable, started, emitted, viewed, processed }));
`;

describe('brokers where @goka/kafkajs is not installed', () => {
  let appDir: string;

  beforeAll(() => {
    // An application with @goka/core installed alone (core has no dependencies to install with it).
    appDir = mkdtempSync(join(tmpdir(), 'goka-core-alone-'));
    const installed = join(appDir, 'node_modules', '@goka', 'core');
    mkdirSync(installed, { recursive: true });
    cpSync(join(coreDir, 'package.json'), join(installed, 'package.json'));
    cpSync(join(coreDir, 'dist'), join(installed, 'dist'), { recursive: true });
  });

  afterAll(() => {
    rmSync(appDir, { recursive: true, force: true });
  });

  it('the emitter, the view and the processor fail with a KafkaAdapterMissingError naming the package (not retried)', async () => {
    const result = await node<{ resolvable: boolean } & Record<'started' | 'emitted' | 'viewed' | 'processed', Failure>>(MISSING_PACKAGE_SCRIPT, appDir);
    expect(result.resolvable).toBe(false);
    const expected = (component: string) => ({
      name: 'KafkaAdapterMissingError',
      typed: true,
      retriable: false,
      component,
      packageName: '@goka/kafkajs',
      causeCode: 'ERR_MODULE_NOT_FOUND',
      message:
        `${component} was given \`brokers\`, which needs the package @goka/kafkajs (not installed); install it ` +
        '(e.g. pnpm add @goka/kafkajs), or pass `kafka` (an adapter such as new KafkajsAdapter({ brokers }) or new MemoryKafka())',
    });
    expect(result.started).toEqual(expected('Emitter "clicks"'));
    // An emit is not retried until its delivery timeout: it fails at once with the same error.
    expect(result.emitted).toEqual(expected('Emitter "clicks"'));
    expect(result.viewed).toEqual(expected('View "clicks-table"'));
    expect(result.processed).toEqual(expected('Processor "clicks"'));
  }, 60_000);
});
