import { spawn } from 'node:child_process';
import { KafkaToolError } from './errors.js';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Runs a command to completion, collecting stdout and stderr together; rejects only if it cannot start. */
export function runCommand(command: string, args: readonly string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ` (is \`${command}\` installed and on PATH?)` : '';
      reject(new KafkaToolError(`cannot run ${command}${hint}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
