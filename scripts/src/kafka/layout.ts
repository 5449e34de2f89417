import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaHarnessError } from './errors.js';

/** The repository root: the nearest folder above this module holding `pnpm-workspace.yaml`. */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new KafkaHarnessError(`cannot find the repository root (pnpm-workspace.yaml) above ${from}`);
    }
    dir = parent;
  }
}

/** Every path the harness reads or writes, all under the git-ignored `.kafka/` folder. */
export interface KafkaPaths {
  readonly root: string;
  readonly pom: string;
  readonly cacheDir: string;
  /** Everything one profile owns: config, data, logs, state; deleted on each `up`. */
  readonly profileDir: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly logsDir: string;
  readonly stateFile: string;
  readonly lockFile: string;
}

export function kafkaPaths(root: string, profile: string): KafkaPaths {
  const cacheDir = join(root, '.kafka');
  const profileDir = join(cacheDir, profile);
  return {
    root,
    pom: join(root, 'scripts', 'kafka', 'pom.xml'),
    cacheDir,
    profileDir,
    configDir: join(profileDir, 'config'),
    dataDir: join(profileDir, 'data'),
    logsDir: join(profileDir, 'logs'),
    stateFile: join(cacheDir, `${profile}.state.json`),
    lockFile: join(cacheDir, `${profile}.lock`),
  };
}

/** The jar folder for one Kafka version, e.g. `.kafka/libs-4.4.0`. */
export function libsDir(root: string, kafkaVersion: string): string {
  return join(root, '.kafka', `libs-${kafkaVersion}`);
}
