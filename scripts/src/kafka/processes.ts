import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { KafkaToolError } from './errors.js';

/**
 * Starts a detached process whose stdout and stderr go to `logFile`; it outlives the caller.
 * Resolves with its pid once it has been spawned, rejects if it cannot start at all.
 */
export async function spawnDetached(command: string, args: readonly string[], cwd: string, logFile: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const out = await open(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out.fd, out.fd], ...(env === undefined ? {} : { env }) });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        const hint = error.code === 'ENOENT' ? ' (is Java 17+ installed, on PATH or in JAVA_HOME?)' : '';
        reject(new KafkaToolError(`cannot start ${command}${hint}: ${error.message}`, { cause: error }));
      });
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new KafkaToolError(`${command} started without a pid`));
        else resolve(child.pid);
      });
    });
    child.unref();
    return pid;
  } finally {
    await out.close();
  }
}

/** Without /proc (not Linux) zombies and pid reuse cannot be told apart: kill(pid, 0) decides alone. */
const HAS_PROC = existsSync('/proc/self/stat');

/**
 * Whether `pid` is a live process (not a zombie). With `marker`, also whether its command line contains
 * that text, so a recorded pid that the OS has since given to another program is not mistaken for ours.
 */
export function isRunning(pid: number, marker?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' && marker === undefined;
  }
  if (!HAS_PROC) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker === undefined) return true;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
  } catch {
    return false; // it ended between kill(pid, 0) and reading /proc
  }
}

/** Sends `signal` to `pid`, ignoring a process that has already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Polls until every process has exited or the deadline passes; returns those still running. */
export async function waitForExit(
  processes: readonly { readonly pid: number; readonly marker?: string }[],
  timeoutMs: number,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = processes.filter((p) => isRunning(p.pid, p.marker)).map((p) => p.pid);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await delay(100);
  }
}
