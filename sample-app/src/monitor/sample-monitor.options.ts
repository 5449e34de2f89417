import type { GokaRegistry } from '@goka/nestjs';
import type { GokaMonitorModuleOptions } from '@goka/nestjs/monitor';
import { Topics } from '../kafka/topics.js';

/** What the `emit-clicks` action was asked to do. */
export interface EmitClicksRequest {
  readonly user: string;
  readonly count: number;
}

/** `alice` → one click of alice; `{"user":"alice","count":100}` → 100 (at most 100,000). */
export function emitClicksRequest(value: string | undefined): EmitClicksRequest {
  const text = value?.trim() ?? '';
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { user?: unknown; count?: unknown };
    const count = typeof parsed.count === 'number' && Number.isInteger(parsed.count) ? parsed.count : 1;
    if (typeof parsed.user !== 'string' || parsed.user === '') throw new Error('emit-clicks needs a "user"');
    return { user: parsed.user, count: Math.min(100_000, Math.max(1, count)) };
  }
  if (text === '') throw new Error('emit-clicks needs a user name, or {"user":"alice","count":100}');
  return { user: text, count: 1 };
}

/**
 * The sample app's monitor (mounted at `/goka`): the clicks processor's `reset` visitor becomes an
 * action by itself; `emit-clicks` is the app's own action, emitting clicks through the app's emitter.
 */
export function sampleMonitorOptions(registry: GokaRegistry): GokaMonitorModuleOptions {
  return {
    title: 'Goka sample app',
    actions: [
      {
        name: 'emit-clicks',
        description: 'emits clicks: a user name for one click, or {"user":"alice","count":100}',
        run: async (value, signal) => {
          const { user, count } = emitClicksRequest(value);
          const emitter = registry.getEmitter<string>(Topics.clicks);
          let sent = 0;
          while (sent < count && !signal.aborted) {
            const batch = Math.min(1000, count - sent);
            await Promise.all(Array.from({ length: batch }, () => emitter.emit(user, 'monitor')));
            sent += batch;
          }
          return `emitted ${sent} clicks of ${user}`;
        },
      },
    ],
  };
}
