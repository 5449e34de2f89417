import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Building and running test/fixtures/goka-view (the real Go Goka's View) for the interop system tests.
// The Go module is built with the Go toolchain: its modules come from the Go module proxy into
// .tools/go/mod (ignored by git; about 10 s when empty), its compiled packages go to Go's own build
// cache in the user's cache directory, which outlives a fresh clone (about 3 minutes on 2 busy cores
// when that cache is empty, seconds once warm).

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/goka-view');
const GO_HOME = join(ROOT, '.tools/go');

/** What test/fixtures/goka-view prints. */
export interface GoView {
  readonly recovered: boolean;
  readonly readCommitted: boolean;
  readonly values?: Record<string, number | null>;
  readonly partitions?: Record<string, { status: string; recoveryOffset: number; hwm: number }>;
  readonly error?: string;
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The go command: GO, else `go` on PATH, else the toolchain's usual place. */
function goCommand(): string {
  if (process.env['GO'] !== undefined && process.env['GO'] !== '') return process.env['GO'];
  const onPath = (process.env['PATH'] ?? '').split(':').map((dir) => join(dir, 'go'));
  return onPath.find((candidate) => existsSync(candidate)) ?? '/usr/local/go/bin/go';
}

/** Builds the fixture into `binary` (modules from the Go module proxy into .tools/go/mod). */
export async function buildGokaView(binary: string): Promise<void> {
  const cacheResolvable = ['GOCACHE', 'XDG_CACHE_HOME', 'HOME'].some((name) => (process.env[name] ?? '') !== '');
  const built = await run(goCommand(), ['build', '-o', binary, '.'], {
    cwd: FIXTURE,
    env: {
      ...process.env,
      // -modcacherw: a module cache that `rm -rf .tools` can remove without chmod.
      GOFLAGS: '-mod=mod -modcacherw',
      GOPATH: GO_HOME,
      GOMODCACHE: join(GO_HOME, 'mod'),
      GOTOOLCHAIN: 'local',
      ...(cacheResolvable ? {} : { GOCACHE: join(GO_HOME, 'cache') }),
    },
    timeoutMs: 580_000,
  });
  if (built.code !== 0) throw new Error(`go build of test/fixtures/goka-view failed (${built.code}):\n${built.stderr}`);
}

/**
 * Runs the built fixture: the values of `keys` in `table` as the Go view sees them (with sarama's
 * read_committed isolation when `readCommitted`), waiting up to `timeout` (Go duration) for recovery.
 */
export async function goView(
  binary: string,
  brokers: readonly string[],
  table: string,
  keys: readonly string[],
  { readCommitted = false, timeout = '20s' }: { readonly readCommitted?: boolean; readonly timeout?: string } = {},
): Promise<GoView> {
  const args = ['-brokers', brokers.join(','), '-table', table, '-keys', keys.join(','), '-timeout', timeout];
  if (readCommitted) args.push('-read-committed');
  const result = await run(binary, args, { timeoutMs: 60_000 });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) throw new Error(`goka-view printed no result (exit ${result.code}):\n${result.stderr}`);
  return JSON.parse(line) as GoView;
}
