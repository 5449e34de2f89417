import { KafkaStartError } from './errors.js';
import { javaExecutable, toolArgs } from './java.js';
import { runCommand } from './run-command.js';

/**
 * Formats one node's KRaft storage with `kafka.tools.StorageTool format -t <id> -c <file>`. Static
 * voters (`controller.quorum.voters`) need neither `--standalone` nor `--initial-controllers`.
 */
export async function formatStorage(libs: string, clusterId: string, configFile: string, cwd: string): Promise<void> {
  const args = toolArgs(libs, 'kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', configFile]);
  const result = await runCommand(javaExecutable(), args, cwd);
  if (result.code !== 0) {
    throw new KafkaStartError(
      `StorageTool format failed (exit ${String(result.code ?? result.signal)}) for ${configFile}:\n${result.output.trim()}`,
    );
  }
}
