import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import { findRepoRoot } from '@goka/scripts';
import { thousands } from './format.js';
import { mib } from './measure.js';

/** Where a result was measured: enough to tell two machines (or two commits) apart. */
export interface MachineDescription {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly platform: string;
  readonly osRelease: string;
  readonly node: string;
  readonly v8: string;
}

export function describeMachine(): MachineDescription {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.round(mib(totalmem())),
    platform: platform(),
    osRelease: release(),
    node: process.version,
    v8: process.versions.v8,
  };
}

/** The checked-out commit, with `-dirty` when the working tree has changes; `undefined` outside git. */
export function gitRevision(cwd: string): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}-dirty` : head;
  } catch {
    return undefined;
  }
}

/** Where and when a bench command runs: the repository root, the machine, the commit and the start. */
export interface RunStamp {
  readonly root: string;
  readonly machine: MachineDescription;
  readonly revision: string | undefined;
  readonly date: Date;
}

/** Describes the run starting now. */
export function stampRun(): RunStamp {
  const root = findRepoRoot();
  return { root, machine: describeMachine(), revision: gitRevision(root), date: new Date() };
}

/** `2 × <cpu model>, 7,936 MiB, node v22.1.0, abc1234` for a bench's first log line. */
export function machineLine({ machine, revision }: RunStamp): string {
  return `${machine.cpus} × ${machine.cpuModel}, ${thousands(machine.memoryMiB)} MiB, node ${machine.node}` + (revision === undefined ? '' : `, ${revision}`);
}
