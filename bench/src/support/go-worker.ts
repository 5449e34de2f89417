import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FromWorker } from '../worker/protocol.js';
import { withTimeout } from './measure.js';

type Stopped = Extract<FromWorker, { type: 'stopped' }>;
type Ready = Extract<FromWorker, { type: 'ready' }>;

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
 * `process.resourceUsage()` is for our workers. Killed if anything goes wrong.
 */
export class GoWorkerProcess {
  readonly #child: ChildProcess;
  readonly #waiters = new Map<FromGoka['type'], (message: FromGoka) => void>();
  readonly #early = new Map<FromGoka['type'], FromGoka>();
  readonly #failed: Promise<never>;
  #fail!: (error: Error) => void;
  readonly #retries: GokaRetry[] = [];
  readonly exited: Promise<number | null>;
  /** When the first message reached the callback (epoch ms), if it did. */
  firstAt: number | undefined;

  private constructor(binary: string, config: GokaWorkerConfig, name: string) {
    this.#failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.#failed.catch(() => undefined);
    const args = ['-mode', config.mode, '-brokers', config.brokers.join(','), '-topic', config.topic, '-group', config.group,
      '-storage', config.storagePath, '-client-id', config.clientId];
    if (config.commitIntervalMs !== undefined) args.push('-commit-interval', `${config.commitIntervalMs}ms`);
    this.#child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#child.once('error', (error) => this.#fail(new Error(`go worker ${name}: ${error.message}`)));
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => this.#fail(new Error(`go worker ${name} exited (code ${String(code)})`)));
    if (this.#child.stdout === null) throw new Error('go worker without stdout');
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      let message: FromGoka;
      try {
        message = JSON.parse(line) as FromGoka;
      } catch {
        process.stderr.write(`go worker ${name}: ${line}\n`);
        return;
      }
      if (message.type === 'first') this.firstAt = message.at;
      if (message.type === 'retry') {
        this.#retries.push({ error: message.error, afterReady: message.afterReady });
        return;
      }
      if (message.type === 'error') {
        this.#fail(new Error(`go worker ${name}: ${message.message}`));
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

  /** Starts bench/goka and waits until it parsed its flags and built its graph. */
  static async spawn(binary: string, config: GokaWorkerConfig, name: string, timeoutMs = 60_000): Promise<GoWorkerProcess> {
    const worker = new GoWorkerProcess(binary, config, name);
    try {
      await withTimeout(`go worker ${name} start-up`, timeoutMs, worker.#next('loaded'));
    } catch (error) {
      worker.kill();
      throw error;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The failed runs started again so far. */
  get retries(): readonly GokaRetry[] {
    return this.#retries;
  }

  #next<T extends FromGoka['type']>(type: T): Promise<Extract<FromGoka, { type: T }>> {
    const early = this.#early.get(type);
    if (early !== undefined) {
      this.#early.delete(type);
      return Promise.resolve(early as Extract<FromGoka, { type: T }>);
    }
    const message = new Promise<Extract<FromGoka, { type: T }>>((resolve) => {
      this.#waiters.set(type, (found) => resolve(found as Extract<FromGoka, { type: T }>));
    });
    return Promise.race([message, this.#failed]);
  }

  #send(message: object): void {
    this.#child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  start(): Promise<Ready> {
    const ready = this.#next('ready');
    this.#send({ type: 'start' });
    return ready;
  }

  failure(): Promise<never> {
    return this.#failed;
  }

  async get(keys: readonly string[]): Promise<ReadonlyArray<number | null>> {
    const values = this.#next('values');
    this.#send({ type: 'get', keys });
    return (await values).values;
  }

  /** Stops the processor (leaves the group, closes LevelDB), collects its numbers, waits for the exit. */
  async stop(timeoutMs = 60_000): Promise<GokaStopped> {
    const stopped = this.#next('stopped');
    this.#send({ type: 'stop' });
    try {
      const result = await withTimeout('go worker stop', timeoutMs, stopped);
      await withTimeout('go worker exit', 10_000, this.exited).catch(() => this.kill());
      return { ...result, mainCpuMs: undefined, retries: [...this.#retries] };
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}
