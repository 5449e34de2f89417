#!/usr/bin/env node
/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self and inclusive time per function and
 * self time per file, so a bench's hot spots can be read without DevTools.
 *
 *   node bench/dist/cpu-profile-summary.js <file.cpuprofile> [--top N] [--filter TEXT]
 *
 * `--filter` keeps only samples whose stack contains a frame whose function or file includes TEXT
 * (e.g. `PartitionTable` to look at a view's recovery only).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof CpuProfile, unknown>>;
  return Array.isArray(candidate.nodes) && Array.isArray(candidate.samples) && Array.isArray(candidate.timeDeltas);
}

/** `node_modules/.pnpm/kafkajs@2.2.4/node_modules/kafkajs/src/x.js` → `kafkajs/src/x.js`; repo paths relative. */
function shortUrl(url: string): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const packages = path.search(/\/(packages|bench|scripts)\//);
  return packages >= 0 ? path.slice(packages + 1) : path;
}

function frameName(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  const url = shortUrl(frame.url);
  return url === '' ? name : `${name}  ${url}:${frame.lineNumber + 1}`;
}

function table(title: string, entries: ReadonlyArray<[string, number]>, total: number, top: number): string {
  const lines = entries
    .slice(0, top)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  return [`${title}`, ...lines].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { top: { type: 'string' }, filter: { type: 'string' } },
  });
  const file = positionals[0];
  if (file === undefined) {
    console.error('usage: node bench/dist/cpu-profile-summary.js <file.cpuprofile> [--top N] [--filter TEXT]');
    return 1;
  }
  const top = Number(values.top ?? 30);
  const filter = values.filter;
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${file} is not a V8 cpu profile`);
  const profile = parsed;

  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node !== undefined) stack.push(node);
    }
    return stack;
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, us: number): void => {
    map.set(key, (map.get(key) ?? 0) + us);
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const stack = stackOf(id);
    if (filter !== undefined && !stack.some((node) => frameName(node.callFrame).includes(filter))) continue;
    const leaf = stack[0];
    if (leaf === undefined) continue;
    total += us;
    add(self, frameName(leaf.callFrame), us);
    add(files, shortUrl(leaf.callFrame.url) || leaf.callFrame.functionName, us);
    for (const name of new Set(stack.map((node) => frameName(node.callFrame)))) add(inclusive, name, us);
  }
  const sorted = (map: Map<string, number>): Array<[string, number]> => [...map].sort((a, b) => b[1] - a[1]);
  console.log(
    `${file}: ${(total / 1000).toFixed(0)} ms sampled` +
      (filter === undefined ? '' : ` in stacks containing "${filter}"`) +
      ` (profile spans ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms)\n`,
  );
  console.log(table('self time by function', sorted(self), total, top));
  console.log('');
  console.log(table('self time by file', sorted(files), total, top));
  console.log('');
  console.log(table('inclusive time by function', sorted(inclusive), total, top));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
