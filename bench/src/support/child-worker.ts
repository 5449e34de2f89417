import type { ChildProcess } from 'node:child_process';
import type { FromWorker, ToWorker } from '../worker/protocol.js';
import { withTimeout } from './measure.js';

export type Stopped = Extract<FromWorker, { type: 'stopped' }>;
export type Ready = Extract<FromWorker, { type: 'ready' }>;

/**
 * A bench worker in a child process of its own, driven by the worker protocol (`worker/protocol.ts`):
 * our Node worker over IPC ({@link WorkerProcess}) or bench/goka over JSON lines ({@link GoWorkerProcess}).
 * This part routes the child's messages to whoever waits for them and holds the calls both make;
 * subclasses start the child, read its messages into {@link deliver} and write with {@link send}.
 * Killed if anything goes wrong.
 */
export abstract class ChildWorker {
  readonly #waiters = new Map<FromWorker['type'], (message: FromWorker) => void>();
  readonly #early = new Map<FromWorker['type'], FromWorker>();
  readonly #failed: Promise<never>;
  #fail!: (error: Error) => void;
  /** When the first message reached the handler (epoch ms), if it did. */
  firstAt: number | undefined;
  abstract readonly exited: Promise<number | null>;
  protected abstract readonly child: ChildProcess;

  protected constructor(readonly name: string) {
    this.#failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.#failed.catch(() => undefined);
  }

  protected abstract send(message: ToWorker): void;

  /** Fails every wait (the first failure wins). */
  protected fail(error: Error): void {
    this.#fail(error);
  }

  /** A message from the child: `first` is noted, `error` fails the worker, the rest go to their waiter. */
  protected deliver(message: FromWorker): void {
    if (message.type === 'first') this.firstAt = message.at;
    if (message.type === 'error') {
      this.fail(new Error(`${this.name}: ${message.message}`));
      return;
    }
    const waiter = this.#waiters.get(message.type);
    if (waiter === undefined) this.#early.set(message.type, message);
    else {
      this.#waiters.delete(message.type);
      waiter(message);
    }
  }

  /** Resolves with the next message of `type` (or one that came before anyone waited); rejects when the worker fails. */
  protected next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
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

  /** Waits until the child loaded its modules and built its component (its `loaded` message); kills it otherwise. */
  protected async loaded(timeoutMs: number): Promise<void> {
    try {
      await withTimeout(`${this.name} start-up`, timeoutMs, this.next('loaded'));
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Tells the worker to run; the returned promise resolves when it is ready (see `ready` in the protocol). */
  start(): Promise<Ready> {
    const ready = this.next('ready');
    this.send({ type: 'start' });
    return ready;
  }

  /** Rejects as soon as the worker reports an error or exits (for racing against a wait). */
  failure(): Promise<never> {
    return this.#failed;
  }

  async get(keys: readonly string[]): Promise<ReadonlyArray<number | null>> {
    const values = this.next('values');
    this.send({ type: 'get', keys });
    return (await values).values;
  }

  /** Stops the component, collects the worker's numbers and waits for the process to exit. */
  protected async stopWorker(timeoutMs: number): Promise<Stopped> {
    const stopped = this.next('stopped');
    this.send({ type: 'stop' });
    try {
      const result = await withTimeout(`${this.name} stop`, timeoutMs, stopped);
      await withTimeout(`${this.name} exit`, 10_000, this.exited).catch(() => this.kill());
      return result;
    } catch (error) {
      this.kill();
      throw error;
    }
  }

  /** Kills the process (SIGKILL) if it still runs. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
