import { codecs, Emitter, silentLogger } from '@goka/core';

/**
 * Emits clicks (`'click'` values) over `keys` keys (`key-<i mod keys>`) to an input topic, counting what
 * Kafka acknowledged per key: what a counting processor must reach. Used by the system tests that kill
 * processor processes while they count.
 */
export class ClickWriter {
  /** Acknowledged clicks per key. */
  readonly emitted = new Map<string, number>();
  /** Clicks emitted so far (acknowledged once their burst resolved). */
  total = 0;
  readonly #emitter: Emitter<string>;
  readonly #keys: number;
  readonly #waiters: Array<{ total: number; resolve: () => void }> = [];
  #writing: { on: boolean; done: Promise<void> } | undefined;

  constructor(brokers: readonly string[], topic: string, keys: number) {
    this.#emitter = new Emitter(topic, codecs.string, { brokers: [...brokers], logger: silentLogger });
    this.#keys = keys;
  }

  /** Emits `count` clicks and resolves once Kafka acknowledged all of them. */
  async burst(count: number): Promise<void> {
    const sends: Array<Promise<unknown>> = [];
    for (let i = 0; i < count; i++) {
      const key = `key-${(this.total + i) % this.#keys}`;
      sends.push(this.#emitter.emit(key, 'click').then(() => this.emitted.set(key, (this.emitted.get(key) ?? 0) + 1)));
    }
    this.total += count;
    await Promise.all(sends);
    for (const waiter of this.#waiters.filter((w) => this.total >= w.total)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Resolves once `count` more clicks than now were emitted and acknowledged. */
  more(count: number): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ total: this.total + count, resolve }));
  }

  /** Emits bursts of `size` one after another until {@link stop}. */
  start(size: number): void {
    const writing = { on: true, done: Promise.resolve() };
    writing.done = (async () => {
      while (writing.on) await this.burst(size);
    })();
    this.#writing = writing;
  }

  /** Ends the bursts of {@link start} and flushes the emitter. */
  async stop(): Promise<void> {
    if (this.#writing !== undefined) {
      this.#writing.on = false;
      await this.#writing.done;
    }
    await this.#emitter.finish();
  }
}
