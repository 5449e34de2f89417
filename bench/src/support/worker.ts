import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_CONFIG_ENV } from '../worker/protocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from '../worker/protocol.js';
import { withTimeout } from './measure.js';

const WORKER_SCRIPT = fileURLToPath(new URL('../worker/main.js', import.meta.url));

type Stopped = Extract<FromWorker, { type: 'stopped' }>;
type Ready = Extract<FromWorker, { type: 'ready' }>;

/**
 * A bench worker child process (`worker/main.ts`): a Processor or the raw relay in a process of its
 * own, so its peak RSS and CPU are its own. Killed if anything goes wrong.
 */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly #waiters = new Map<FromWorker['type'], (message: FromWorker) => void>();
  readonly #early = new Map<FromWorker['type'], FromWorker>();
  #error: Error | undefined;
  readonly #failed: Promise<never>;
  #fail!: (error: Error) => void;
  readonly exited: Promise<number | null>;
  /** When the first message reached the handler (epoch ms), if it did. */
  firstAt: number | undefined;

  private constructor(config: WorkerConfig, name: string) {
    this.#failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.#failed.catch(() => undefined);
    this.#child = fork(WORKER_SCRIPT, [], {
      // GOKA_BENCH_WORKER_NODE_OPTIONS adds flags to every worker (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
      execArgv: [
        '--expose-gc',
        ...(config.mode === 'count' ? (config.nodeFlags ?? []) : []),
        ...(process.env['GOKA_BENCH_WORKER_NODE_OPTIONS'] ?? '').split(' ').filter((flag) => flag !== ''),
      ],
      env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      this.#error ??= new Error(`worker ${name} exited (code ${String(code)})`);
      this.#fail(this.#error);
    });
    this.#child.on('message', (message: FromWorker) => {
      if (message.type === 'first') this.firstAt = message.at;
      if (message.type === 'error') {
        this.#error = new Error(`worker ${name}: ${message.message}`);
        this.#fail(this.#error);
        return;
      }
      const waiter = this.#waiters.get(message.type);
      if (waiter === undefined) this.#early.set(message.type, message);
      else {
        this.#waiters.delete(message.type);
        waiter(message);
      }
    });
  }

  /** Forks a worker and waits until it loaded its modules and built its component. */
  static async spawn(config: WorkerConfig, name: string, timeoutMs = 60_000): Promise<WorkerProcess> {
    const worker = new WorkerProcess(config, name);
    try {
      await withTimeout(`worker ${name} start-up`, timeoutMs, worker.#next('loaded'));
    } catch (error) {
      worker.kill();
      throw error;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves with the next message of `type` (or one that came before anyone waited); rejects when the worker fails. */
  #next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    const early = this.#early.get(type);
    if (early !== undefined) {
      this.#early.delete(type);
      return Promise.resolve(early as Extract<FromWorker, { type: T }>);
    }
    const message = new Promise<Extract<FromWorker, { type: T }>>((resolve) => {
      this.#waiters.set(type, (found) => resolve(found as Extract<FromWorker, { type: T }>));
    });
    return Promise.race([message, this.#failed]);
  }

  #send(message: ToWorker): void {
    this.#child.send(message);
  }

  /** Tells the worker to run; the returned promise resolves when it is ready (see `ready` in the protocol). */
  start(): Promise<Ready> {
    const ready = this.#next('ready');
    this.#send({ type: 'start' });
    return ready;
  }

  /** Rejects as soon as the worker reports an error or exits (for racing against a wait). */
  failure(): Promise<never> {
    return this.#failed;
  }

  async get(keys: readonly string[]): Promise<ReadonlyArray<number | null>> {
    const values = this.#next('values');
    this.#send({ type: 'get', keys });
    return (await values).values;
  }

  /** Stops the component, collects the worker's numbers and waits for the process to exit. */
  async stop(timeoutMs = 60_000): Promise<Stopped> {
    const stopped = this.#next('stopped');
    this.#send({ type: 'stop' });
    try {
      const result = await withTimeout('worker stop', timeoutMs, stopped);
      await withTimeout('worker exit', 10_000, this.exited).catch(() => this.kill());
      return result;
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  /** Kills the process (SIGKILL) if it still runs. */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}
