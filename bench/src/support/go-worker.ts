import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FromWorker, ToWorker } from '../worker/protocol.js';
import { ChildWorker } from './child-worker.js';
import type { Stopped } from './child-worker.js';

/** A failed Go Goka run that bench/goka started again (e.g. "not the leader" on a fresh table). */
export interface GokaRetry {
  readonly error: string;
  /** The run had been ready (table recovered, group joined) before it failed. */
  readonly afterReady: boolean;
}

/** What bench/goka runs (its flags). */
export interface GokaWorkerConfig {
  readonly mode: 'count' | 'recover';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly group: string;
  readonly storagePath: string;
  /** sarama's offset auto-commit interval (count); `undefined`: the program's default, 200 ms. */
  readonly commitIntervalMs?: number | undefined;
  readonly clientId: string;
}

/** What bench/goka writes on stdout: the Node worker's messages, plus `retry`. */
type FromGoka = FromWorker | ({ readonly type: 'retry'; readonly attempt: number } & GokaRetry);

/** The numbers of a stopped Go worker: the Node worker's fields (no `mainCpuMs`), and its retries. */
export type GokaStopped = Stopped & { readonly retries: readonly GokaRetry[] };

/**
 * bench/goka as a child process, driven like {@link WorkerProcess} (same calls, same messages) over
 * stdin/stdout JSON lines instead of Node's IPC; its peak RSS and CPU are its own getrusage, as Node's
 * `process.resourceUsage()` is for our workers.
 */
export class GoWorkerProcess extends ChildWorker {
  protected readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly #retries: GokaRetry[] = [];

  private constructor(binary: string, config: GokaWorkerConfig, name: string) {
    super(`go worker ${name}`);
    const args = ['-mode', config.mode, '-brokers', config.brokers.join(','), '-topic', config.topic, '-group', config.group,
      '-storage', config.storagePath, '-client-id', config.clientId];
    if (config.commitIntervalMs !== undefined) args.push('-commit-interval', `${config.commitIntervalMs}ms`);
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.once('error', (error) => this.fail(new Error(`go worker ${name}: ${error.message}`)));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => this.fail(new Error(`go worker ${name} exited (code ${String(code)})`)));
    if (this.child.stdout === null) throw new Error('go worker without stdout');
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let message: FromGoka;
      try {
        message = JSON.parse(line) as FromGoka;
      } catch {
        process.stderr.write(`go worker ${name}: ${line}\n`);
        return;
      }
      if (message.type === 'retry') this.#retries.push({ error: message.error, afterReady: message.afterReady });
      else this.deliver(message);
    });
  }

  /** Starts bench/goka and waits until it parsed its flags and built its graph. */
  static async spawn(binary: string, config: GokaWorkerConfig, name: string, timeoutMs = 60_000): Promise<GoWorkerProcess> {
    const worker = new GoWorkerProcess(binary, config, name);
    await worker.loaded(timeoutMs);
    return worker;
  }

  /** The failed runs started again so far. */
  get retries(): readonly GokaRetry[] {
    return this.#retries;
  }

  protected send(message: ToWorker): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  /** Stops the processor (leaves the group, closes LevelDB), collects its numbers, waits for the exit. */
  async stop(timeoutMs = 60_000): Promise<GokaStopped> {
    const result = await this.stopWorker(timeoutMs);
    return { ...result, mainCpuMs: undefined, retries: [...this.#retries] };
  }
}
