import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_CONFIG_ENV } from '../worker/protocol.js';
import type { FromWorker, ToWorker, WorkerConfig } from '../worker/protocol.js';
import { ChildWorker } from './child-worker.js';
import type { Stopped } from './child-worker.js';

const WORKER_SCRIPT = fileURLToPath(new URL('../worker/main.js', import.meta.url));

/**
 * A bench worker child process (`worker/main.ts`): a Processor or the raw relay in a process of its
 * own, so its peak RSS and CPU are its own, driven over Node's IPC channel.
 */
export class WorkerProcess extends ChildWorker {
  protected readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  private constructor(config: WorkerConfig, name: string) {
    super(`worker ${name}`);
    this.child = fork(WORKER_SCRIPT, [], {
      // GOKA_BENCH_WORKER_NODE_OPTIONS adds flags to every worker (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
      execArgv: [
        '--expose-gc',
        ...(config.mode === 'count' ? (config.nodeFlags ?? []) : []),
        ...(process.env['GOKA_BENCH_WORKER_NODE_OPTIONS'] ?? '').split(' ').filter((flag) => flag !== ''),
      ],
      env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    // After an `error` message this changes nothing: the first failure is the one reported.
    void this.exited.then((code) => this.fail(new Error(`worker ${name} exited (code ${String(code)})`)));
    this.child.on('message', (message: FromWorker) => this.deliver(message));
  }

  /** Forks a worker and waits until it loaded its modules and built its component. */
  static async spawn(config: WorkerConfig, name: string, timeoutMs = 60_000): Promise<WorkerProcess> {
    const worker = new WorkerProcess(config, name);
    await worker.loaded(timeoutMs);
    return worker;
  }

  protected send(message: ToWorker): void {
    this.child.send(message);
  }

  /** Stops the component, collects the worker's numbers and waits for the process to exit. */
  stop(timeoutMs = 60_000): Promise<Stopped> {
    return this.stopWorker(timeoutMs);
  }
}
