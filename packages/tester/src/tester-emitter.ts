import type { EmitOptions, Emitter, ProducedOffset } from '@goka/core';

/**
 * @publicApi An emitter plugged into a tester (what {@link Tester.emitter} returns): like Goka's
 * tester emitters, each `emit` resolves only after the record was written and everything that
 * consumes it (transitively) is idle again.
 */
export class TesterEmitter<V> {
  constructor(
    /** The core emitter underneath. */
    readonly emitter: Emitter<V>,
    private readonly settle: () => Promise<void>,
  ) {}

  /** The emitter's topic. */
  get topic(): string {
    return this.emitter.topic;
  }

  /** Emits `value` (`null`: a tombstone) for `key`, then waits until the tester is idle. */
  async emit(key: string, value: V | null, options?: EmitOptions): Promise<ProducedOffset> {
    const produced = await this.emitter.emit(key, value, options);
    await this.settle();
    return produced;
  }

  /** Flushes and closes the emitter (`Emitter.finish`). */
  finish(): Promise<void> {
    return this.emitter.finish();
  }
}
