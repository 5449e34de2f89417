import { DEFAULT_REGISTRY_PORT, findRepoRoot, readRegistryState, registryPaths, registryRunning, startRegistry, stopRegistry } from '@goka/scripts';

/** A registry for the system tests: its Confluent-compatible URL and how to release it. */
export interface TestRegistry {
  /** Base URL of the Confluent-compatible API (Apicurio's `/apis/ccompat/v7`). */
  readonly url: string;
  /** Stops the registry when this process started it; leaves one started by someone else running. */
  release(): Promise<void>;
}

/**
 * `SCHEMA_REGISTRY_URL` when set (any Confluent-compatible registry); otherwise the Apicurio Registry
 * of `pnpm registry up` on `SCHEMA_REGISTRY_PORT` (default 8081), started here (fetched with Maven on
 * first use) when none runs. Like the broker, it is never skipped for: a missing registry fails the test.
 */
export async function useRegistry(env: NodeJS.ProcessEnv = process.env): Promise<TestRegistry> {
  const given = env['SCHEMA_REGISTRY_URL'];
  if (given !== undefined && given !== '') return { url: given, release: () => Promise.resolve() };
  const port = Number(env['SCHEMA_REGISTRY_PORT'] ?? DEFAULT_REGISTRY_PORT);
  const root = findRepoRoot();
  const before = await readRegistryState(registryPaths(root, port).stateFile);
  const reused = before !== undefined && registryRunning(before);
  const state = await startRegistry({ port, root });
  return {
    url: `${state.url}/apis/ccompat/v7`,
    release: async () => {
      if (!reused) await stopRegistry({ port, root });
    },
  };
}
