import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { now } from './measure.js';

/** bench/goka: the Go Goka program of the bench (its own go.mod). */
const GOKA_DIR = fileURLToPath(new URL('../../goka', import.meta.url));

/** The built Go Goka program and what it was built from. */
export interface GokaBuild {
  readonly binary: string;
  /** `github.com/lovoo/goka` and `github.com/IBM/sarama` as bench/goka/go.mod pins them, and `go version`. */
  readonly goka: string;
  readonly sarama: string;
  readonly go: string;
  readonly buildMs: number;
}

/** Why there are no Go Goka numbers: `go` missing (`skipped`), or the build failed (`failed`, a finding). */
export type GokaUnavailable = { readonly skipped: string } | { readonly failed: string };

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
    });
  });
}

/** The go command: `GO` (a path, or a name on PATH), else `go` on PATH, else the toolchain's usual place; `undefined` when none exists. */
export function goCommand(): string | undefined {
  const onPath = (name: string): string[] => (process.env['PATH'] ?? '').split(':').filter((dir) => dir !== '').map((dir) => join(dir, name));
  const fromEnv = process.env['GO'];
  const candidates =
    fromEnv !== undefined && fromEnv !== '' ? (fromEnv.includes('/') ? [fromEnv] : onPath(fromEnv)) : [...onPath('go'), '/usr/local/go/bin/go'];
  return candidates.find((candidate) => existsSync(candidate));
}

/** The version go.mod requires for `module` (e.g. `v1.1.17`), `?` if absent. */
function required(goMod: string, module: string): string {
  const found = new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')}\\s+(v\\S+)`, 'm').exec(goMod);
  return found?.[1] ?? '?';
}

/**
 * Builds bench/goka into `dir` with `go build` (once per bench run). Modules and compiled packages go to
 * Go's usual caches (GOMODCACHE, GOCACHE), so only the first build on a machine downloads and compiles
 * sarama and Goka (minutes on 2 busy cores); later ones take seconds.
 */
export async function buildGoka(dir: string): Promise<GokaBuild | GokaUnavailable> {
  const go = goCommand();
  if (go === undefined) return { skipped: `no \`go\` found (${process.env['GO'] ? `GO=${process.env['GO']}` : 'PATH, /usr/local/go/bin/go'})` };
  const started = now();
  // -mod=mod: go.sum may lack a line on another Go version; GOTOOLCHAIN=local: never download a toolchain.
  // Without HOME (and no GOCACHE nor XDG_CACHE_HOME) Go has no build cache: give it one in the temp dir.
  const cacheResolvable = ['GOCACHE', 'XDG_CACHE_HOME', 'HOME'].some((name) => (process.env[name] ?? '') !== '');
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', ...(cacheResolvable ? {} : { GOCACHE: join(tmpdir(), 'goka-bench-go-cache') }) };
  const binary = join(dir, 'goka-bench');
  const built = await run(go, ['build', '-o', binary, '.'], GOKA_DIR, env, 600_000);
  if (built.code !== 0) return { failed: `go build of bench/goka failed (exit ${built.code}): ${built.stderr.trim()}` };
  const version = await run(go, ['version'], GOKA_DIR, env, 30_000);
  const goMod = await readFile(join(GOKA_DIR, 'go.mod'), 'utf8');
  return {
    binary,
    goka: required(goMod, 'github.com/lovoo/goka'),
    sarama: required(goMod, 'github.com/IBM/sarama'),
    go: version.stdout.trim().replace(/^go version /, ''),
    buildMs: now() - started,
  };
}

/** A phase label's Go part, e.g. `Go Goka v1.1.17 (sarama v1.46.3)`. */
export function gokaName(build: GokaBuild): string {
  return `Go Goka ${build.goka} (sarama ${build.sarama})`;
}
