import { rm } from 'node:fs/promises';
import { findRepoRoot } from '../kafka/layout.js';
import { signalProcess, waitForExit } from '../kafka/processes.js';
import { DEFAULT_REGISTRY_PORT, registryPaths } from './layout.js';
import { readRegistryState, registryRunning } from './start.js';

/**
 * Stops the registry this harness started on `port` by its recorded pid (SIGTERM, SIGKILL after 20 s)
 * and removes its state file. Resolves with the pid stopped, or undefined when none ran.
 */
export async function stopRegistry(options: { readonly port?: number; readonly root?: string; readonly log?: (line: string) => void } = {}): Promise<number | undefined> {
  const port = options.port ?? DEFAULT_REGISTRY_PORT;
  const paths = registryPaths(options.root ?? findRepoRoot(), port);
  const state = await readRegistryState(paths.stateFile);
  if (state === undefined) return undefined;
  let stopped: number | undefined;
  if (registryRunning(state)) {
    options.log?.(`stopping the registry on port ${port} (pid ${state.pid}) …`);
    signalProcess(state.pid, 'SIGTERM');
    const alive = await waitForExit([{ pid: state.pid, marker: state.jar }], 20_000);
    if (alive.length > 0) {
      signalProcess(state.pid, 'SIGKILL');
      await waitForExit([{ pid: state.pid }], 5_000);
    }
    stopped = state.pid;
  }
  await rm(paths.stateFile, { force: true });
  return stopped;
}
