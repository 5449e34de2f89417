import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KafkaJarsError } from './errors.js';
import { libsDir } from './layout.js';
import { runCommand } from './run-command.js';
import type { KafkaLog } from './types.js';

const MARKER = '.complete';

/** The marker's first line names the pom it was resolved from, so editing the pom re-resolves. */
function markerHeader(pomText: string): string {
  return `pom-sha256 ${createHash('sha256').update(pomText).digest('hex')}`;
}

async function isComplete(dir: string, header: string): Promise<boolean> {
  const marker = await readFile(join(dir, MARKER), 'utf8').catch(() => '');
  return marker.split('\n', 1)[0] === header;
}

/** The Kafka version pinned in `scripts/kafka/pom.xml` (`<kafka.version>`), the one source of truth. */
export async function pinnedKafkaVersion(pom: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(pom, 'utf8');
  } catch (error) {
    throw new KafkaJarsError(`cannot read ${pom}`, { cause: error });
  }
  const version = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(text)?.[1];
  if (version === undefined) throw new KafkaJarsError(`${pom} has no <kafka.version> property`);
  return version;
}

/**
 * Returns the folder holding every runtime jar of the broker, copying them from Maven Central
 * (through the local Maven repository) on first use or after the pom changed. The copy goes to a
 * temporary folder that is renamed into place, and a marker file is written last, so an interrupted
 * copy is never reused.
 */
export async function resolveKafkaJars(root: string, pom: string, log?: KafkaLog): Promise<string> {
  const version = await pinnedKafkaVersion(pom);
  const header = markerHeader(await readFile(pom, 'utf8'));
  const target = libsDir(root, version);
  if (await isComplete(target, header)) return target;

  log?.(`resolving Kafka ${version} jars with Maven into ${target} …`);
  const started = Date.now();
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await runCommand(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
    root,
  );
  if (result.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new KafkaJarsError(
      `mvn dependency:copy-dependencies failed (exit ${String(result.code ?? result.signal)}) for ${pom}:\n${result.output.trim()}`,
    );
  }
  const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'));
  if (!jars.some((name) => name.startsWith(`kafka_2.13-${version}`))) {
    await rm(staging, { recursive: true, force: true });
    throw new KafkaJarsError(`Maven copied no kafka_2.13-${version} jar into ${staging}`);
  }
  if (await isComplete(target, header)) {
    // Another process finished the same copy meanwhile: keep its folder, which may be in use.
    await rm(staging, { recursive: true, force: true });
    return target;
  }
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  await writeFile(join(target, MARKER), `${header}\n${jars.sort().join('\n')}\n`);
  log?.(`resolved ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}
