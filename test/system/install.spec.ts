import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { kafkaClient } from '../support/kafka.js';
import { ownBroker } from '../support/own-broker.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Every publishable package, packed as a user would get it. */
const PACKAGES = ['core', 'kafkajs', 'storage-rocksdb', 'tester', 'nestjs', 'schema-registry'] as const;
/** A broker of this spec's own: empty at start, so the app meets no topic created beforehand. */
const PORT = 19792;

/** The body of `## <title>` in README.md. */
function section(readme: string, title: string): string {
  const found = readme.split(/^## /m).find((part) => part.startsWith(`${title}\n`));
  if (found === undefined) throw new Error(`README.md has no section "## ${title}"`);
  return found;
}

/** The first fenced block of `language` in `text`. */
function block(text: string, language: string, where: string): string {
  const found = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text)?.[1];
  if (found === undefined) throw new Error(`README.md section "${where}" has no \`\`\`${language} block`);
  return found;
}

async function version(pkg: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Runs `command`, failing with its output when it fails. */
async function sh(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(command, [...args], { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

/** The app of the README, started with `node dist/main.js`; resolves once Nest listens. */
class App {
  private output = '';
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dir: string, env: Record<string, string>): Promise<App> {
    const port = await freePort();
    const { KAFKA_BROKERS: _brokers, ...inherited } = process.env;
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: { ...inherited, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const app = new App(child, `http://127.0.0.1:${port}`);
    const listening = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        app.output += chunk.toString();
        if (app.output.includes('Nest application successfully started')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`the app exited (${code ?? signal}) before it listened:\n${app.output}`)));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    try {
      await listening;
      // Nest logs that line when the app is initialized, just before the server listens.
      await eventually(async () => {
        await fetch(app.url);
      });
    } finally {
      clearTimeout(timer);
    }
    return app;
  }

  /**
   * SIGTERM: the app enabled shutdown hooks, so Nest closes the app (processors commit, emitters
   * flush) and then ends the process with the signal again. Resolves with how it ended: `'SIGTERM'`
   * after a graceful shutdown, else the exit code, or `'SIGKILL'` when it did not stop within 30 s.
   */
  async stop(): Promise<string> {
    if (this.child.exitCode !== null) return `exit code ${this.child.exitCode}`;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    return signal ?? `exit code ${code}`;
  }

  get log(): string {
    return this.output;
  }

  /**
   * The log's ERROR lines. kafkajs' logs of error responses it retries (a topic partition not yet
   * hosted right after its creation, a coordinator still loading on a fresh broker) are warnings.
   */
  get errors(): string[] {
    const plain = stripVTControlCharacters(this.output);
    return plain.split('\n').filter((line) => /\bERROR\b/.test(line));
  }
}

/**
 * Done-when of #17: the packages as a user installs them. Packs every package (`pnpm pack`), makes a
 * fresh app outside the workspace with npm from the README's "Install" dependencies (the `@goka/*`
 * entries pointing at the tarballs), writes the README's quick start — extracted from README.md, so
 * the README cannot drift — as `src/main.ts`, builds it with tsc and runs it: against an empty broker
 * (topics created by the app itself) and on the in-memory Kafka, checking the README's curl results.
 * Also checks that `moduleResolution: node10` resolves every subpath. The npm install runs once per
 * run, in the temporary app.
 */
describe('install: the README app from packed tarballs, outside the workspace', () => {
  const broker = ownBroker(PORT);
  let dir = '';
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const install = JSON.parse(block(section(readme, 'Install'), 'json', 'Install')) as { dependencies: Record<string, string> };
    const quickStart = block(section(readme, 'Quick start (NestJS)'), 'ts', 'Quick start (NestJS)');

    dir = await mkdtemp(join(tmpdir(), 'goka-install-'));
    const packs = join(dir, 'packs');
    await mkdir(packs);
    let started = Date.now();
    await sh('pnpm', ['-s', 'build'], root, 300_000);
    for (const pkg of PACKAGES) await sh('pnpm', ['pack', '--pack-destination', packs], join(root, 'packages', pkg), 120_000);
    timings.pack = Date.now() - started;
    const tarballs = new Map<string, string>();
    for (const file of await readdir(packs)) {
      const name = /^goka-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1];
      if (name !== undefined) tarballs.set(`@goka/${name}`, `file:./packs/${file}`);
    }
    expect([...tarballs.keys()].sort()).toEqual(PACKAGES.map((pkg) => `@goka/${pkg}`).sort());

    // The README's dependencies, the @goka/* ones from the tarballs (and @goka/kafkajs, which the README
    // says to add when installing from tarballs: @goka/nestjs depends on it).
    // @goka/schema-registry too: an optional peer of @goka/nestjs that the README's Schema Registry section adds.
    const dependencies: Record<string, string> = {
      '@goka/kafkajs': tarballs.get('@goka/kafkajs') ?? '',
      '@goka/schema-registry': tarballs.get('@goka/schema-registry') ?? '',
    };
    for (const [name, range] of Object.entries(install.dependencies)) {
      dependencies[name] = name.startsWith('@goka/') ? (tarballs.get(name) ?? `missing tarball of ${name}`) : range;
    }
    // The optional peers of the monitor and the microservice transport: the node10 check imports those subpaths.
    for (const name of ['@nestjs/terminus', '@nestjs/microservices', 'prom-client']) dependencies[name] = await version(`../packages/nestjs/node_modules/${name}`);
    const app = {
      name: 'goka-install-check',
      version: '0.0.0',
      private: true,
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.json', 'start:prod': 'node dist/main.js' },
      dependencies,
      devDependencies: { typescript: await version('typescript'), '@types/node': await version('@types/node') },
    };
    await writeFile(join(dir, 'package.json'), JSON.stringify(app, null, 2));
    // What `nest new` (Nest 12, ESM) writes, reduced to what tsc needs.
    const compilerOptions = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2023',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strict: true,
      skipLibCheck: true,
      types: ['node'], // TypeScript 6 includes no @types by default
      outDir: './dist',
      rootDir: './src',
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'main.ts'), quickStart);

    started = Date.now();
    await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir, 600_000);
    timings.npmInstall = Date.now() - started;
    started = Date.now();
    await sh('npm', ['run', '-s', 'build'], dir, 300_000);
    timings.tsc = Date.now() - started;
  }, 900_000);

  afterAll(async () => {
    console.info(`install.spec timings (ms): ${JSON.stringify(timings)}`);
    if (dir !== '' && process.env.GOKA_KEEP_INSTALL_DIR === undefined) await rm(dir, { recursive: true, force: true });
  });

  it('npm installed one copy of each @goka package, from the tarballs, with the versions pnpm pack wrote', async () => {
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; resolved?: string; dependencies?: Record<string, string> }> };
    const goka = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/@goka/'));
    expect(goka.map(([path]) => path).sort()).toEqual(PACKAGES.filter((pkg) => pkg !== 'storage-rocksdb' && pkg !== 'tester').map((pkg) => `node_modules/@goka/${pkg}`).sort());
    for (const [, entry] of goka) expect(entry.resolved).toMatch(/^file:packs\/goka-/);
    const nestjs = JSON.parse(await readFile(join(dir, 'node_modules/@goka/nestjs/package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(nestjs.dependencies).toEqual({ '@goka/core': '^0.1.0', '@goka/kafkajs': '^0.1.0' });
    expect(nestjs.peerDependencies?.['@goka/storage-rocksdb']).toBe('^0.1.0');
    expect(JSON.stringify(nestjs)).not.toContain('workspace:');
  });

  it('the packed @goka/nestjs holds the monitor\'s compiled browser modules and serves them whole', async () => {
    const script = [
      "const ui = await import('./node_modules/@goka/nestjs/dist/monitor/ui/index.js');",
      'console.log(JSON.stringify(ui.monitorAssetNames().map((name) => [name, ui.monitorAsset(name).body])));',
    ].join('\n');
    const assets = new Map(JSON.parse(await sh(process.execPath, ['--input-type=module', '-e', script], dir, 60_000)) as [string, string][]);
    expect([...assets.keys()]).toEqual(expect.arrayContaining(['monitor.css', 'monitor.js', 'page.js']));
    expect(assets.get('monitor.js')).toContain("from './page.js'");
    for (const [name, body] of assets) {
      for (const [, spec] of body.matchAll(/\bfrom\s*'\.\/([^']*)'/g)) expect([...assets.keys()], `${name} imports ${spec}`).toContain(spec);
    }
  });

  it('moduleResolution node10 (CommonJS) resolves every subpath with its types', async () => {
    const check = [
      "import { codecs } from '@goka/core';",
      "import type { KafkaAdapter } from '@goka/core/kafka';",
      "import { runStorageConformance } from '@goka/core/storage';",
      "import { GokaModule } from '@goka/nestjs';",
      "import { GokaTransport } from '@goka/nestjs/microservices';",
      "import { GokaMonitorModule } from '@goka/nestjs/monitor';",
      "import { KafkajsAdapter } from '@goka/kafkajs';",
      "import { avro, MemorySchemaRegistry } from '@goka/schema-registry';",
      'export const used: unknown[] = [codecs.string, runStorageConformance, GokaModule, GokaTransport, GokaMonitorModule, KafkajsAdapter, avro, MemorySchemaRegistry];',
      'export type Adapter = KafkaAdapter;',
      '',
    ].join('\n');
    await mkdir(join(dir, 'node10'), { recursive: true });
    await writeFile(join(dir, 'node10', 'check.ts'), check);
    const compilerOptions = {
      module: 'commonjs',
      moduleResolution: 'node10',
      ignoreDeprecations: '6.0',
      target: 'es2022',
      experimentalDecorators: true,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    };
    await writeFile(join(dir, 'tsconfig.node10.json'), JSON.stringify({ compilerOptions, files: ['node10/check.ts'] }, null, 2));
    await sh(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node10.json'], dir, 120_000);
  });

  it('the packed @goka/schema-registry encodes and decodes Avro in the Confluent wire format (its in-memory registry)', async () => {
    const script = [
      "import { avro, MemorySchemaRegistry } from '@goka/schema-registry';",
      "const schema = { type: 'record', name: 'Click', fields: [{ name: 'page', type: 'string' }] };",
      "const codec = await avro({ registry: new MemorySchemaRegistry().client(), topic: 'clicks', schema });",
      "const bytes = codec.encode({ page: '/home' });",
      'console.log(JSON.stringify({ magic: bytes[0], id: bytes.readInt32BE(1), decoded: codec.decode(bytes) }));',
      '',
    ].join('\n');
    await writeFile(join(dir, 'schema-registry-check.mjs'), script);
    const out = await sh(process.execPath, ['schema-registry-check.mjs'], dir, 60_000);
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual({ magic: 0, id: 1, decoded: { page: '/home' } });
  });

  it('the quick start on an empty broker: creates its topics and answers the README’s curls', async () => {
    const { brokers } = broker();
    const admin = kafkaClient(brokers, 'install-spec-admin').admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((topic) => !topic.startsWith('__'))).toEqual([]);
      const app = await App.start(dir, { KAFKA_BROKERS: brokers.join(',') });
      try {
        await checkCurls(app.url);
      } finally {
        expect(await app.stop(), app.log).toBe('SIGTERM');
        expect(app.errors).toEqual([]);
      }
      const metadata = await admin.fetchTopicMetadata({ topics: ['clicks', 'clicks-table'] });
      expect(metadata.topics.map((topic) => [topic.name, topic.partitions.length]).sort()).toEqual([
        ['clicks', 3],
        ['clicks-table', 3],
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('the quick start on the in-memory Kafka (no KAFKA_BROKERS)', async () => {
    const app = await App.start(dir, {});
    try {
      await checkCurls(app.url);
    } finally {
      expect(await app.stop(), app.log).toBe('SIGTERM');
      expect(app.errors).toEqual([]);
    }
  });
});

/** `curl -X POST localhost:3000/clicks/alice` and `curl localhost:3000/clicks/alice` → `{"user":"alice","clicks":1}`. */
async function checkCurls(url: string): Promise<void> {
  const posted = await fetch(`${url}/clicks/alice`, { method: 'POST' });
  expect(posted.status).toBe(201);
  await eventually(async () => {
    const response = await fetch(`${url}/clicks/alice`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"user":"alice","clicks":1}');
  });
}
