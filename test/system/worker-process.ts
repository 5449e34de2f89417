import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A counting processor instance in its own Node process (`test/fixtures/counter-worker.mjs`), for the
 * system tests that kill processes, and everything it reported over IPC.
 */
const WORKER = fileURLToPath(new URL('../fixtures/counter-worker.mjs', import.meta.url));

export interface WorkerEvent {
  readonly worker: string;
  readonly event: 'assigned' | 'revoked' | 'ready' | 'error' | 'killed';
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

  /** Resolves once the worker reported an event matching `check`. */
  until(check: (events: readonly WorkerEvent[]) => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms: ${JSON.stringify(this.events)}`)), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (check(this.events)) done();
      else this.waiters.push({ check: () => check(this.events), resolve: done });
    });
  }

  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }
}
