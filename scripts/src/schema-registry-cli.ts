#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runCli } from './cli-run.js';
import { findRepoRoot } from './kafka/layout.js';
import { resolveRegistryJar } from './schema-registry/archive.js';
import { RegistryHarnessError } from './schema-registry/errors.js';
import { DEFAULT_REGISTRY_PORT, registryPaths } from './schema-registry/layout.js';
import { readRegistryState, registryRunning, startRegistry } from './schema-registry/start.js';
import { stopRegistry } from './schema-registry/stop.js';

const USAGE = `usage: pnpm registry <command> [options]

  up      [--port P] [--management-port M] [--timeout SECONDS]
          start Apicurio Registry (in memory) on 127.0.0.1:P (default ${DEFAULT_REGISTRY_PORT}; management
          port M, default P+1) and wait for its Confluent-compatible API at /apis/ccompat/v7
  down    [--port P]   stop it by its recorded pid (a no-op when none runs)
  status  [--port P]   show whether it runs
  fetch                resolve the Apicurio archive with Maven into .registry/ and print the jar`;

const log = (line: string): void => console.log(`[registry] ${line}`);

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new RegistryHarnessError(`${name} must be an integer, got ${value}`);
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'management-port': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help === true || command === undefined) {
    console.log(USAGE);
    return command === undefined && values.help !== true ? 1 : 0;
  }
  const port = intOption(values.port, '--port') ?? DEFAULT_REGISTRY_PORT;
  switch (command) {
    case 'up': {
      const managementPort = intOption(values['management-port'], '--management-port');
      const timeout = intOption(values.timeout, '--timeout');
      await startRegistry({
        port,
        log,
        ...(managementPort === undefined ? {} : { managementPort }),
        ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
      });
      return 0;
    }
    case 'down': {
      const pid = await stopRegistry({ port, log });
      log(pid === undefined ? `port ${port}: nothing running` : `port ${port}: stopped pid ${pid}`);
      return 0;
    }
    case 'status': {
      const state = await readRegistryState(registryPaths(findRepoRoot(), port).stateFile);
      if (state === undefined) log(`port ${port}: no registry started by this project`);
      else log(`port ${port}: ${registryRunning(state) ? 'running' : 'NOT RUNNING (stale state)'} at ${state.url} pid ${state.pid} since ${state.startedAt}, log ${state.logFile}`);
      return 0;
    }
    case 'fetch':
      console.log(await resolveRegistryJar(findRepoRoot(), log));
      return 0;
    default:
      console.error(`unknown command: ${command}\n${USAGE}`);
      return 1;
  }
}

runCli('registry', () => main(process.argv.slice(2)), RegistryHarnessError);
