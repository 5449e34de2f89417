import { KafkaStartError } from './errors.js';
import { javaExecutable, toolArgs } from './java.js';
import { runCommand } from './run-command.js';
import { SASL_MECHANISMS, SASL_PASSWORD, SASL_USERNAME } from './security.js';

/** `--add-scram` arguments that create the test user for each SCRAM mechanism in the bootstrap metadata. */
export function scramUserArgs(): string[] {
  return SASL_MECHANISMS.filter((m) => m.startsWith('SCRAM-')).flatMap((mechanism) => [
    '--add-scram',
    `${mechanism}=[name=${SASL_USERNAME},password=${SASL_PASSWORD}]`,
  ]);
}

/**
 * Formats one node's KRaft storage with `kafka.tools.StorageTool format -t <id> -c <file>`. Static
 * voters (`controller.quorum.voters`) need neither `--standalone` nor `--initial-controllers`. With
 * `scramUsers`, the test user of each SCRAM mechanism is written into the bootstrap metadata (KRaft keeps
 * SCRAM credentials there; there is no ZooKeeper to add them to later).
 */
export async function formatStorage(
  libs: string,
  clusterId: string,
  configFile: string,
  cwd: string,
  scramUsers = false,
): Promise<void> {
  const extra = scramUsers ? scramUserArgs() : [];
  const args = toolArgs(libs, 'kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', configFile, ...extra]);
  const result = await runCommand(javaExecutable(), args, cwd);
  if (result.code !== 0) {
    throw new KafkaStartError(
      `StorageTool format failed (exit ${String(result.code ?? result.signal)}) for ${configFile}:\n${result.output.trim()}`,
    );
  }
}
