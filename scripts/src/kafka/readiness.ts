import { setTimeout as delay } from 'node:timers/promises';
import { describeCluster } from './probe.js';
import type { ClusterView, ProbeAccess } from './probe.js';

export interface ReadinessOptions {
  readonly brokers: readonly string[];
  readonly expectedBrokers: number;
  /** Also wait until this node id is among the brokers. */
  readonly includes?: number;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Called before each poll: return a reason to give up early (e.g. a broker process exited). */
  readonly abortReason?: () => string | undefined;
  /** `ssl` and `sasl` for a secured broker. */
  readonly access?: ProbeAccess;
}

export type ReadinessResult =
  | { readonly ready: true; readonly view: ClusterView }
  | { readonly ready: false; readonly reason: string };

/**
 * Polls `describeCluster` (every 250 ms by default) until it reports every expected broker and a
 * controller. An open port is not enough: a metadata answer that lists all brokers is.
 */
export async function waitForCluster(options: ReadinessOptions): Promise<ReadinessResult> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const abort = options.abortReason?.();
    if (abort !== undefined) return { ready: false, reason: abort };
    try {
      const view = await describeCluster(options.brokers, undefined, options.access);
      const hasNode = options.includes === undefined || view.brokerIds.includes(options.includes);
      if (hasNode && view.brokerIds.length >= options.expectedBrokers && view.controller !== null && view.controller >= 0) {
        return { ready: true, view };
      }
      last = `describeCluster saw brokers [${view.brokerIds.join(', ')}] and controller ${String(view.controller)}`;
    } catch (error) {
      last = `describeCluster failed: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) {
      return { ready: false, reason: `not ready after ${(options.timeoutMs / 1000).toFixed(1)} s (${last})` };
    }
    await delay(options.intervalMs ?? 250);
  }
}
