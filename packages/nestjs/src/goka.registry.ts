import { Injectable } from '@nestjs/common';
import type { Codec, Emitter, Processor, View } from '@goka/core';
import { componentNotFound, componentNotReady, errorMessage, notReady, runEnded, waitTimedOut } from './goka.messages.js';
import { GokaRegistrar } from './goka.registrar.js';
import type { GokaRun, GokaRunOutcome } from './goka-run.class.js';
import { ComponentNotFoundError } from './errors/component-not-found.error.js';
import { GokaNotReadyError } from './errors/goka-not-ready.error.js';
import type {
  GokaComponentPhase,
  GokaComponentStatus,
  GokaStatus,
  GokaWaitOptions,
} from './interfaces/goka-status.interface.js';
import type { GokaProcessorInfo, GokaViewInfo } from './interfaces/goka-component-info.interface.js';

/**
 * The runtime API of `GokaModule`: every processor (by group), view (by table, or by the group
 * whose table it is) and emitter (by topic) of the application, their status and readiness.
 * Inject it anywhere (`GokaModule` is global by default).
 *
 * It only stores and reports: `GokaOrchestrator` creates, starts, stops and watches the components
 * (like `@nestjs/schedule`'s `SchedulerRegistry` and `SchedulerOrchestrator`). It reads what the
 * module's internal registrar holds (components and their runs), and re-checks waiters when one
 * changes state or a run settles.
 *
 * @publicApi
 */
@Injectable()
export class GokaRegistry {
  readonly #registrar: GokaRegistrar;

  constructor(registrar: GokaRegistrar) {
    this.#registrar = registrar;
  }

  /**
   * The processor of `group`. `V` is the group table's value type (not checked).
   * @throws ComponentNotFoundError when no `@Processor(group)` class exists
   */
  getProcessor<V = unknown>(group: string): Processor<V> {
    const entry = this.#registrar.processors.get(group);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('processor', group, [...this.#registrar.processors.keys()]), 'processor', group);
    }
    return entry.processor as Processor<V>;
  }

  /** The processor of `group`, or `undefined` when there is none (yet). */
  findProcessor<V = unknown>(group: string): Processor<V> | undefined {
    return this.#registrar.processors.get(group)?.processor as Processor<V> | undefined;
  }

  /** Every processor, in discovery order. */
  getProcessors(): readonly Processor<unknown>[] {
    return [...this.#registrar.processors.values()].map((entry) => entry.processor);
  }

  /**
   * The view registered for a table, or for the group whose table it is. `V` is its value type
   * (not checked).
   * @throws ComponentNotFoundError when no such view is registered
   */
  getView<V = unknown>(tableOrGroup: string): View<V> {
    const entry = this.#registrar.views.get(this.#registrar.viewNames.get(tableOrGroup) ?? tableOrGroup);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('view', tableOrGroup, [...this.#registrar.viewNames.keys()]), 'view', tableOrGroup);
    }
    return entry.view as View<V>;
  }

  /** Every registered view. */
  getViews(): readonly View<unknown>[] {
    return [...this.#registrar.views.values()].map((entry) => entry.view);
  }

  /**
   * The emitter registered for `topic`. `V` is its value type (not checked).
   * @throws ComponentNotFoundError when no such emitter is registered
   */
  getEmitter<V = unknown>(topic: string): Emitter<V> {
    const entry = this.#registrar.emitters.get(topic);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('emitter', topic, [...this.#registrar.emitters.keys()]), 'emitter', topic);
    }
    return entry.emitter as Emitter<V>;
  }

  /** Every registered emitter. */
  getEmitters(): readonly Emitter<unknown>[] {
    return [...this.#registrar.emitters.values()].map((entry) => entry.emitter);
  }

  /** Every processor with its group and `@Processor` class, in discovery order (for tools such as the monitor). */
  describeProcessors(): readonly GokaProcessorInfo[] {
    return [...this.#registrar.processors].map(([group, entry]) => ({ group, className: entry.className, processor: entry.processor }));
  }

  /** Every view with its table and codec, in registration order (for tools such as the monitor). */
  describeViews(): readonly GokaViewInfo[] {
    return [...this.#registrar.views].map(([table, entry]) => ({ table, view: entry.view, codec: entry.codec }));
  }

  /** Every emitter with its topic and codec, in registration order (for tools such as the testing module). */
  describeEmitters(): ReadonlyArray<{ readonly topic: string; readonly emitter: Emitter<unknown>; readonly codec: Codec<unknown> }> {
    return [...this.#registrar.emitters].map(([topic, entry]) => ({ topic, emitter: entry.emitter, codec: entry.codec }));
  }

  /** A snapshot of every processor and view: phase, state, and the error that ended a failed run. */
  status(): GokaStatus {
    const processors: Record<string, GokaComponentStatus> = {};
    for (const [group, entry] of this.#registrar.processors) {
      processors[group] = componentStatus(entry.run, entry.processor.state, entry.processor.state === 'running');
    }
    const views: Record<string, GokaComponentStatus> = {};
    for (const [table, entry] of this.#registrar.views) {
      views[table] = componentStatus(entry.run, entry.view.state, entry.view.state === 'running', entry.view.lastError);
    }
    const ready = [...Object.values(processors), ...Object.values(views)].every((status) => status.phase === 'ready');
    return { ready, processors, views };
  }

  /** Whether every processor has recovered and is processing, and every view is running. */
  isReady(): boolean {
    return this.status().ready;
  }

  /**
   * Resolves once every processor has recovered its partitions and every view is running (at once
   * if they are). Rejects with a `GokaNotReadyError` when one of them fails or stops first, or the
   * timeout passes; with `signal.reason` when `signal` aborts. A view whose failed run the module
   * restarts (`autoReconnect`, the default) does not end the wait: it may still become ready.
   */
  waitForReady(options: GokaWaitOptions = {}): Promise<void> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let unlisten: (() => void) | undefined;
      const finish = (error?: unknown): void => {
        unlisten?.();
        signal?.removeEventListener('abort', onAbort);
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(signal?.reason);
      const check = (): void => {
        const status = this.status();
        if (status.ready) return finish();
        const ended = this.#endedRuns();
        if (ended.length > 0) {
          const [first] = ended;
          const cause = first !== undefined && !first.outcome.ok ? first.outcome.error : undefined;
          finish(new GokaNotReadyError(notReady(ended.map(({ what, outcome }) => runEnded(what, outcome.ok ? undefined : outcome.error))), status, { cause }));
        }
      };
      unlisten = this.#registrar.onChange(check);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const status = this.status();
          finish(new GokaNotReadyError(notReady([waitTimedOut(timeoutMs), ...this.#pending(status)]), status));
        }, timeoutMs);
      }
      check();
    });
  }

  /** Runs that ended, with what they were. */
  #endedRuns(): Array<{ what: string; outcome: GokaRunOutcome }> {
    const ended: Array<{ what: string; outcome: GokaRunOutcome }> = [];
    for (const [group, entry] of this.#registrar.processors) {
      const { outcome } = entry.run;
      if (outcome !== undefined) ended.push({ what: `processor "${group}" (${entry.className})`, outcome });
    }
    for (const [table, entry] of this.#registrar.views) {
      const { outcome, restarting } = entry.run;
      // A view that will start again is not given up on: waiting goes on (bounded by its timeout).
      if (outcome !== undefined && !restarting) ended.push({ what: `view of "${table}"`, outcome });
    }
    return ended;
  }

  #pending(status: GokaStatus): string[] {
    return [
      ...Object.entries(status.processors).flatMap(([group, s]) =>
        s.phase === 'ready' ? [] : [componentNotReady(`processor "${group}"`, s)],
      ),
      ...Object.entries(status.views).flatMap(([table, s]) => (s.phase === 'ready' ? [] : [componentNotReady(`view of "${table}"`, s)])),
    ];
  }
}

/**
 * The status of a run: its phase, and the error that ended it, or (`lastError`, a view restarted
 * after a failure and not running yet) the error it is recovering from.
 */
function componentStatus(run: GokaRun, state: string, running: boolean, lastError?: unknown): GokaComponentStatus {
  const { outcome } = run;
  let phase: GokaComponentPhase;
  if (outcome !== undefined) phase = outcome.ok ? 'stopped' : 'failed';
  else if (!run.started) phase = 'created';
  else phase = running ? 'ready' : 'starting';
  if (outcome !== undefined && !outcome.ok) return { phase, state, error: errorMessage(outcome.error) };
  if (phase === 'starting' && lastError !== undefined) return { phase, state, error: errorMessage(lastError) };
  return { phase, state };
}
