import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KafkaHarnessError } from './errors.js';
import { isRunning } from './processes.js';
import type { KafkaNodeState, KafkaState } from './types.js';

/** Reads a profile's state file; `undefined` when there is none. */
export async function readState(file: string): Promise<KafkaState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as KafkaState;
  } catch (error) {
    throw new KafkaHarnessError(`${file} is not valid JSON; delete it after checking no broker runs`, { cause: error });
  }
}

/** Writes atomically (temp file + rename), so a reader never sees half a state. */
export async function writeState(file: string, state: KafkaState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}

export async function removeState(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** A node counts as running when its recorded pid is alive and still runs this node's config. */
export function nodeRunning(node: KafkaNodeState): boolean {
  return isRunning(node.pid, node.configFile);
}

export function runningNodes(state: KafkaState): KafkaNodeState[] {
  return state.nodes.filter(nodeRunning);
}
