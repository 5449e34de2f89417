import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * kafkajs 2.2.4's per-connection request queue re-arms a timer after every check for pending requests,
 * even when none is pending; unthrottled, its delay is `-1 - Date.now()`, which Node rounds up to 1 ms.
 * So every open connection wakes the event loop about 1,000 times a second for nothing (about 6% of a
 * core per idle connection here), and Node 24 prints a `TimeoutNegativeWarning` (tulios/kafkajs#1704,
 * #1751; kafkajs is frozen, so the fix will not come from there).
 *
 * The fix: schedule no check while nothing is pending. A request that has to wait (throttled, or too
 * many in flight) is pushed to `pending` and schedules its check then, as before; a check with an empty
 * queue only ever re-armed the timer. kafkajs has one request-queue class per process, shared by every
 * kafkajs client of it, so this patches its prototype once (idempotent); the kafkajs adapter calls it
 * when it is loaded.
 */
interface RequestQueueState {
  readonly pending: readonly unknown[];
}

interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: RequestQueueState): void;
  [PATCHED]?: true;
}

const PATCHED = Symbol.for('goka.kafkajs.requestQueue.idleTimerFix');

const require = createRequire(import.meta.url);

/** kafkajs' request-queue class (private module `src/network/requestQueue`). */
export function kafkajsRequestQueueClass(): new (options: Record<string, unknown>) => unknown {
  const root = dirname(require.resolve('kafkajs'));
  return require(join(root, 'src/network/requestQueue/index.js')) as new (options: Record<string, unknown>) => unknown;
}

export function stopIdleRequestQueueTimers(): void {
  const prototype = kafkajsRequestQueueClass().prototype as RequestQueuePrototype;
  if (prototype[PATCHED]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueState): void {
    if (this.pending.length === 0) return;
    schedule.call(this);
  };
  prototype[PATCHED] = true;
}
