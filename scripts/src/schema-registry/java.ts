import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../kafka/run-command.js';
import { RegistryHarnessError } from './errors.js';

/** Apicurio Registry 3 is built for Java 21. */
export const MIN_JAVA = 21;

/** The major version `java -version` prints (`openjdk version "25.0.3"` → 25, `"1.8.0"` → 8). */
export function javaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

function candidates(): string[] {
  const found: string[] = [];
  const explicit = process.env['REGISTRY_JAVA_HOME'];
  if (explicit !== undefined && explicit !== '') found.push(join(explicit, 'bin', 'java'));
  const home = process.env['JAVA_HOME'];
  if (home !== undefined && home !== '') found.push(join(home, 'bin', 'java'));
  found.push('java');
  for (const base of ['/usr/lib/jvm', '/opt/java', '/opt']) {
    if (!existsSync(base)) continue;
    // Newest first by name, so a Temurin 25 beside a 21 is preferred.
    for (const name of readdirSync(base).sort().reverse()) {
      const java = join(base, name, 'bin', 'java');
      if (existsSync(java)) found.push(java);
    }
  }
  return [...new Set(found)];
}

/** The first `java` of version ≥ 21: REGISTRY_JAVA_HOME, JAVA_HOME, PATH, then the JDKs under /usr/lib/jvm and /opt. */
export async function pickJava(): Promise<{ readonly java: string; readonly major: number }> {
  const seen: string[] = [];
  for (const java of candidates()) {
    const result = await runCommand(java, ['-version'], process.cwd()).catch(() => undefined);
    const major = result === undefined ? undefined : javaMajor(result.output);
    seen.push(`${java}: ${major === undefined ? 'not usable' : `Java ${major}`}`);
    if (major !== undefined && major >= MIN_JAVA) return { java, major };
  }
  throw new RegistryHarnessError(`Apicurio Registry needs Java ${MIN_JAVA}+; set REGISTRY_JAVA_HOME. Found:\n  ${seen.join('\n  ')}`);
}
