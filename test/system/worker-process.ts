import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A counting processor instance in its own Node process (`test/fixtures/counter-worker.mjs`), for the
 * system tests that kill processes, and everything it reported over IPC.
 */
const WORKER = fileURLToPath(new URL('../fixtures/counter-worker.mjs', import.meta.url));

export interface WorkerEvent {
  readonly worker: string;
  readonly event: 'assigned' | 'revoked' | 'ready' | 'error' | 'warn' | 'killed';
  readonly partitions?: number[];
  readonly message?: string;
  readonly at: number;
}

/** One processor instance in its own process, and everything it reported. */
export class Worker {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[] = [];
  private readonly waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  constructor(
    readonly name: string,
    env: Record<string, string>,
    timeline: WorkerEvent[],
  ) {
    this.child = fork(WORKER, [], { env: { ...process.env, ...env, GOKA_CLIENT_ID: name }, stdio: 'inherit' });
    this.child.on('message', (message: Omit<WorkerEvent, 'worker'>) => {
      const event = { ...message, worker: name, at: message.at ?? Date.now() };
      this.events.push(event);
      timeline.push(event);
      for (const waiter of this.waiters.filter((w) => w.check())) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }

  /**
   * Resolves once the worker reported an event matching `check`; rejects when it did not within
   * `timeoutMs`, or when its process exited before (a worker that cannot start fails the test at once).
   */
  until(check: (events: readonly WorkerEvent[]) => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (reason: string): void => {
        clearTimeout(timer);
        this.child.off('exit', exited);
        reject(new Error(`${this.name}: no ${what}: ${reason}: ${JSON.stringify(this.events)}`));
      };
      const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
      const exited = (code: number | null, signal: NodeJS.Signals | null): void => {
        // A kill the test sent itself is no failure of the worker.
        if (signal === null) fail(`its process exited with code ${String(code)}`);
      };
      const done = (): void => {
        clearTimeout(timer);
        this.child.off('exit', exited);
        resolve();
      };
      if (check(this.events)) {
        done();
        return;
      }
      this.child.once('exit', exited);
      this.waiters.push({ check: () => check(this.events), resolve: done });
    });
  }

  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }
}

/**
 * The counting processor processes of one test, all in one group reading one input topic, and their
 * storage folders. `storage()` makes a folder (several processes may share one, one after the other);
 * `stop()` kills what still runs and removes the folders.
 */
export class CounterProcesses {
  readonly timeline: WorkerEvent[] = [];
  readonly #workers: Worker[] = [];
  readonly #dirs: string[] = [];

  constructor(private readonly target: { readonly brokers: readonly string[]; readonly group: string; readonly input: string }) {}

  async storage(name: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `goka-${name}-`));
    this.#dirs.push(dir);
    return dir;
  }

  /** Starts a process keeping its table in `storage` (a new folder unless given); `extra` adds environment variables. */
  async start(name: string, storage?: string, extra: Record<string, string> = {}): Promise<Worker> {
    const { brokers, group, input } = this.target;
    const env = { ...extra, GOKA_BROKERS: brokers.join(','), GOKA_GROUP: group, GOKA_INPUT: input, GOKA_STORAGE: storage ?? (await this.storage(name)) };
    const worker = new Worker(name, env, this.timeline);
    this.#workers.push(worker);
    return worker;
  }

  async stop(): Promise<void> {
    for (const worker of this.#workers) worker.child.kill('SIGKILL');
    await Promise.all(this.#workers.map((worker) => worker.exited()));
    await Promise.all(this.#dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
