import { join } from 'node:path';

/** The Apicurio Registry release fetched from Maven Central (its Confluent-compatible API is `/apis/ccompat/v7`). */
export const APICURIO_VERSION = '3.3.3';
export const APICURIO_ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;
/** The Confluent Schema Registry's usual port. */
export const DEFAULT_REGISTRY_PORT = 8081;
/** The path answered once the registry serves requests. */
export const READY_PATH = '/apis/ccompat/v7/subjects';

/** Every path the harness reads or writes, all under the git-ignored `.registry/` folder. */
export interface RegistryPaths {
  readonly cacheDir: string;
  /** The unpacked archive (holds `quarkus-run.jar`). */
  readonly appDir: string;
  readonly stateFile: string;
  readonly logFile: string;
}

export function registryPaths(root: string, port: number): RegistryPaths {
  const cacheDir = join(root, '.registry');
  return {
    cacheDir,
    appDir: join(cacheDir, `apicurio-${APICURIO_VERSION}`),
    stateFile: join(cacheDir, `registry-${port}.state.json`),
    logFile: join(cacheDir, `registry-${port}.log`),
  };
}

/** What `up` records for `down` and `status`. */
export interface RegistryState {
  readonly pid: number;
  readonly port: number;
  readonly managementPort: number;
  readonly url: string;
  readonly jar: string;
  readonly java: string;
  readonly logFile: string;
  readonly startedAt: string;
}
