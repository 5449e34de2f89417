import { setTimeout as outageOf } from 'node:timers/promises';
import type { Emitter } from '@goka/core';
import type { KafkaCluster } from '@goka/scripts';
import { readTopic } from './processor-harness.js';

/**
 * Shared pieces of the emitter outage system tests: a sender that emits at a steady rate and keeps
 * the outcome of every emit, and a reader that counts what the topic holds.
 */

/** The outcome of every emit of a {@link RateSender}, by value (values are unique). */
export interface SendOutcome {
  /** Values whose emit resolved. */
  readonly resolved: Set<string>;
  /** Values whose emit rejected, with the error. */
  readonly rejected: Map<string, unknown>;
  /** Every value emitted, in emit order. */
  readonly emitted: string[];
}

/**
 * Emits `perTick` records every `tickMs` (1,000 msgs/s by default) to `emitter`, with unique values
 * `v-<n>` over `keys` keys, without awaiting them (a service under load); `stop()` ends the ticks and
 * resolves once every emit settled.
 */
export class RateSender {
  readonly outcome: SendOutcome = { resolved: new Set(), rejected: new Map(), emitted: [] };
  private readonly pending = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private readonly ackWaiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    private readonly emitter: Emitter<string>,
    options: { readonly perTick?: number; readonly tickMs?: number; readonly keys?: number } = {},
  ) {
    const { perTick = 10, tickMs = 10, keys = 100 } = options;
    this.timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) this.emitOne(keys);
    }, tickMs);
  }

  /** Resolves once `count` emits in total resolved (a signal that records flow). */
  acknowledged(count: number): Promise<void> {
    if (this.outcome.resolved.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.ackWaiters.push({ count, resolve }));
  }

  /** The values emitted so far whose emits have not resolved (yet): at a broker's exit, the sends in flight or queued. */
  unacknowledged(): Set<string> {
    return new Set(this.outcome.emitted.filter((value) => !this.outcome.resolved.has(value)));
  }

  /** Stops emitting and waits for every emit to settle. */
  async stop(): Promise<SendOutcome> {
    clearInterval(this.timer);
    while (this.pending.size > 0) await Promise.allSettled(this.pending);
    return this.outcome;
  }

  private emitOne(keys: number): void {
    const n = this.outcome.emitted.length;
    const value = `v-${n}`;
    this.outcome.emitted.push(value);
    const settled = this.emitter.emit(`key-${n % keys}`, value).then(
      () => {
        this.outcome.resolved.add(value);
        this.wake();
      },
      (error: unknown) => {
        this.outcome.rejected.set(value, error);
      },
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  private wake(): void {
    const size = this.outcome.resolved.size;
    for (let i = this.ackWaiters.length - 1; i >= 0; i--) {
      const waiter = this.ackWaiters[i] as { count: number; resolve: () => void };
      if (size >= waiter.count) {
        this.ackWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

/** How often each value occurs in `topic` (read from offset 0 to the high-water mark of every partition). */
export async function valueCounts(brokers: readonly string[], topic: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const message of await readTopic(brokers, topic)) {
    const value = message.value?.toString('utf8') ?? '';
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

/** Values written more than once, with their counts. */
export function duplicates(counts: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...counts].filter(([, count]) => count > 1);
}

/** What {@link emitThroughOutage} saw. */
export interface OutageRun {
  /** Every emit's outcome (all settled). */
  readonly outcome: SendOutcome;
  /** Values emitted but not acknowledged when the broker exited: the only ones that may be written twice. */
  readonly unacknowledgedAtExit: ReadonlySet<string>;
  /** Values emitted while the broker was down. */
  readonly emittedDuringOutage: number;
  /** Values emitted after the broker was back. */
  readonly emittedAfterRestart: number;
}

/**
 * Runs a {@link RateSender} (1,000 msgs/s) on `emitter` through an outage of `broker` (node 1 stopped
 * with SIGTERM for `outageMs`, then started again on its data): starts once 3,000 emits were
 * acknowledged, ends once 3,000 more were after the restart, then finishes the emitter.
 */
export async function emitThroughOutage(broker: KafkaCluster, emitter: Emitter<string>, outageMs: number): Promise<OutageRun> {
  await emitter.start();
  const sender = new RateSender(emitter);
  await sender.acknowledged(3000);
  await broker.kill(1, 'SIGTERM');
  const unacknowledgedAtExit = sender.unacknowledged();
  const downAt = sender.outcome.emitted.length;
  await outageOf(outageMs);
  const upAt = sender.outcome.emitted.length;
  await broker.restart(1);
  await sender.acknowledged(sender.outcome.resolved.size + 3000);
  const outcome = await sender.stop();
  await emitter.finish();
  return { outcome, unacknowledgedAtExit, emittedDuringOutage: upAt - downAt, emittedAfterRestart: outcome.emitted.length - upAt };
}
