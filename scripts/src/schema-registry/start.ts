import { createServer } from 'node:net';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { findRepoRoot } from '../kafka/layout.js';
import { logTail } from '../kafka/log-tail.js';
import { isRunning, spawnDetached } from '../kafka/processes.js';
import { resolveRegistryJar } from './archive.js';
import { RegistryHarnessError } from './errors.js';
import { pickJava } from './java.js';
import { DEFAULT_REGISTRY_PORT, READY_PATH, registryPaths } from './layout.js';
import type { RegistryState } from './layout.js';

export interface StartRegistryOptions {
  /** HTTP port on 127.0.0.1. @default 8081 */
  readonly port?: number;
  /** Quarkus management port on 127.0.0.1. @default port + 1 */
  readonly managementPort?: number;
  /** How long to wait for `/apis/ccompat/v7/subjects`. @default 90 s */
  readonly timeoutMs?: number;
  readonly root?: string;
  readonly log?: (line: string) => void;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function readRegistryState(file: string): Promise<RegistryState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RegistryState;
  } catch {
    return undefined;
  }
}

/** Whether the recorded process still runs and is the registry (its command line names the jar). */
export function registryRunning(state: RegistryState): boolean {
  return isRunning(state.pid, state.jar);
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}${READY_PATH}`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts Apicurio Registry (in-memory storage) on 127.0.0.1 with both its HTTP and management ports set,
 * records its pid in `.registry/registry-<port>.state.json`, and resolves once the Confluent-compatible
 * API answers. Reuses a registry of the same port that this harness started and that still answers.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RegistryState> {
  const port = options.port ?? DEFAULT_REGISTRY_PORT;
  const managementPort = options.managementPort ?? port + 1;
  const root = options.root ?? findRepoRoot();
  const paths = registryPaths(root, port);
  const log = options.log;
  const existing = await readRegistryState(paths.stateFile);
  if (existing !== undefined && registryRunning(existing) && (await ready(existing.url))) {
    log?.(`already running at ${existing.url} (pid ${existing.pid})`);
    return existing;
  }
  await rm(paths.stateFile, { force: true });
  for (const p of [port, managementPort]) {
    if (!(await portFree(p))) throw new RegistryHarnessError(`port ${p} on 127.0.0.1 is in use; pick another with --port / --management-port`);
  }
  const jar = await resolveRegistryJar(root, log);
  const { java, major } = await pickJava();
  await mkdir(dirname(paths.logFile), { recursive: true });
  await writeFile(paths.logFile, '');
  // Quarkus reads its configuration from the environment: bind both ports to loopback.
  const env = {
    ...process.env,
    QUARKUS_HTTP_HOST: '127.0.0.1',
    QUARKUS_HTTP_PORT: String(port),
    QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
    QUARKUS_MANAGEMENT_PORT: String(managementPort),
  };
  const args = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', jar];
  log?.(`starting Apicurio Registry on 127.0.0.1:${port} (management ${managementPort}) with Java ${major} (${java}) …`);
  const started = Date.now();
  const pid = await spawnDetached(java, args, dirname(jar), paths.logFile, env);
  const url = `http://127.0.0.1:${port}`;
  const state: RegistryState = { pid, port, managementPort, url, jar, java, logFile: paths.logFile, startedAt: new Date().toISOString() };
  await writeFile(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  const deadline = started + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (await ready(url)) break;
    if (!registryRunning(state)) {
      await rm(paths.stateFile, { force: true });
      throw new RegistryHarnessError(`the registry exited before it was ready; ${paths.logFile} ends with:\n${await logTail(paths.logFile)}`);
    }
    if (Date.now() > deadline) {
      throw new RegistryHarnessError(`the registry (pid ${pid}) did not answer ${READY_PATH} in time; stop it with \`pnpm registry down --port ${port}\`; log:\n${await logTail(paths.logFile)}`);
    }
    await delay(250);
  }
  log?.(`ready at ${url}/apis/ccompat/v7 in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${pid}, log ${paths.logFile})`);
  return state;
}
