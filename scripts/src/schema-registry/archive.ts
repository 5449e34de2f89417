import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../kafka/run-command.js';
import { RegistryHarnessError } from './errors.js';
import { APICURIO_ARTIFACT, registryPaths } from './layout.js';

const MARKER = '.complete';
/** Pinned so `dependency:copy` behaves the same whatever the local Maven's default plugin version is. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

/** Finds `quarkus-run.jar` in the unpacked archive (at its top or one folder down). */
async function findRunJar(dir: string): Promise<string | undefined> {
  if (existsSync(join(dir, 'quarkus-run.jar'))) return join(dir, 'quarkus-run.jar');
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && existsSync(join(dir, entry.name, 'quarkus-run.jar'))) return join(dir, entry.name, 'quarkus-run.jar');
  }
  return undefined;
}

/**
 * Returns the path of Apicurio's `quarkus-run.jar`, resolving the archive with Maven (through the local
 * Maven repository) and unpacking it into `.registry/` on first use. The unpack goes to a temporary
 * folder renamed into place and a marker is written last, so an interrupted one is never reused.
 */
export async function resolveRegistryJar(root: string, log?: (line: string) => void): Promise<string> {
  const { appDir, cacheDir } = registryPaths(root, 0);
  if (existsSync(join(appDir, MARKER))) {
    const jar = await findRunJar(appDir);
    if (jar !== undefined) return jar;
  }
  log?.(`resolving ${APICURIO_ARTIFACT} with Maven into ${appDir} …`);
  const started = Date.now();
  await mkdir(cacheDir, { recursive: true });
  const staging = `${appDir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const copied = await runCommand(
      'mvn',
      ['-q', '-B', `${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${APICURIO_ARTIFACT}`, `-DoutputDirectory=${staging}`, '-Dmdep.stripVersion=false'],
      cacheDir,
    );
    if (copied.code !== 0) throw new RegistryHarnessError(`mvn dependency:copy of ${APICURIO_ARTIFACT} failed (exit ${String(copied.code ?? copied.signal)}):\n${copied.output.trim()}`);
    const archive = (await readdir(staging)).find((name) => name.endsWith('.tar.gz'));
    if (archive === undefined) throw new RegistryHarnessError(`Maven copied no .tar.gz into ${staging}`);
    const unpacked = await runCommand('tar', ['-xzf', archive], staging);
    if (unpacked.code !== 0) throw new RegistryHarnessError(`tar -xzf ${archive} failed:\n${unpacked.output.trim()}`);
    await rm(join(staging, archive));
    if ((await findRunJar(staging)) === undefined) throw new RegistryHarnessError(`${archive} holds no quarkus-run.jar`);
    await rm(appDir, { recursive: true, force: true });
    await rename(staging, appDir);
    await writeFile(join(appDir, MARKER), `${APICURIO_ARTIFACT}\n`);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  log?.(`resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const jar = await findRunJar(appDir);
  if (jar === undefined) throw new RegistryHarnessError(`no quarkus-run.jar in ${appDir}`);
  return jar;
}
