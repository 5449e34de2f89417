import { Injectable } from '@nestjs/common';
import type { Codec, Emitter, Processor, View } from '@goka/core';
import {
  componentNotFound,
  componentNotReady,
  emitterCodecConflict,
  errorMessage,
  notReady,
  runEnded,
  viewCodecConflict,
  waitTimedOut,
} from './goka.messages.js';
import { GokaRun } from './goka-run.class.js';
import type { GokaRestartPolicy, GokaRunOutcome } from './goka-run.class.js';
import { ComponentNotFoundError } from './errors/component-not-found.error.js';
import { GokaNotReadyError } from './errors/goka-not-ready.error.js';
import { GokaOptionsError } from './errors/goka-options.error.js';
import type {
  GokaComponentPhase,
  GokaComponentStatus,
  GokaStatus,
  GokaWaitOptions,
} from './interfaces/goka-status.interface.js';
import type { GokaProcessorInfo, GokaViewInfo } from './interfaces/goka-component-info.interface.js';

/** A registered processor with its run. */
interface ProcessorEntry {
  readonly processor: Processor<unknown>;
  /** The `@Processor` class, for messages. */
  readonly className: string;
  readonly run: GokaRun;
}

/** A registered view with its run. */
interface ViewEntry {
  readonly view: View<unknown>;
  readonly codec: Codec<unknown>;
  readonly run: GokaRun;
}

/** A registered emitter. */
interface EmitterEntry {
  readonly emitter: Emitter<unknown>;
  readonly codec: Codec<unknown>;
}

/**
 * The runtime API of `GokaModule`: every processor (by group), view (by table, or by the group
 * whose table it is) and emitter (by topic) of the application, their status and readiness.
 * Inject it anywhere (`GokaModule` is global by default).
 *
 * It only stores and reports: `GokaOrchestrator` creates, starts, stops and watches the components
 * (like `@nestjs/schedule`'s `SchedulerRegistry` and `SchedulerOrchestrator`). It keeps the run of
 * each processor and view, which the orchestrator drives, and re-checks waiters when one settles.
 *
 * @publicApi
 */
@Injectable()
export class GokaRegistry {
  readonly #processors = new Map<string, ProcessorEntry>();
  readonly #views = new Map<string, ViewEntry>();
  /** View names (group or table) → table. */
  readonly #viewNames = new Map<string, string>();
  readonly #emitters = new Map<string, EmitterEntry>();
  readonly #listeners = new Set<() => void>();

  /**
   * The processor of `group`. `V` is the group table's value type (not checked).
   * @throws ComponentNotFoundError when no `@Processor(group)` class exists
   */
  getProcessor<V = unknown>(group: string): Processor<V> {
    const entry = this.#processors.get(group);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('processor', group, [...this.#processors.keys()]), 'processor', group);
    }
    return entry.processor as Processor<V>;
  }

  /** The processor of `group`, or `undefined` when there is none (yet). */
  findProcessor<V = unknown>(group: string): Processor<V> | undefined {
    return this.#processors.get(group)?.processor as Processor<V> | undefined;
  }

  /** Every processor, in discovery order. */
  getProcessors(): readonly Processor<unknown>[] {
    return [...this.#processors.values()].map((entry) => entry.processor);
  }

  /**
   * The view registered for a table, or for the group whose table it is. `V` is its value type
   * (not checked).
   * @throws ComponentNotFoundError when no such view is registered
   */
  getView<V = unknown>(tableOrGroup: string): View<V> {
    const entry = this.#views.get(this.#viewNames.get(tableOrGroup) ?? tableOrGroup);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('view', tableOrGroup, [...this.#viewNames.keys()]), 'view', tableOrGroup);
    }
    return entry.view as View<V>;
  }

  /** Every registered view. */
  getViews(): readonly View<unknown>[] {
    return [...this.#views.values()].map((entry) => entry.view);
  }

  /**
   * The emitter registered for `topic`. `V` is its value type (not checked).
   * @throws ComponentNotFoundError when no such emitter is registered
   */
  getEmitter<V = unknown>(topic: string): Emitter<V> {
    const entry = this.#emitters.get(topic);
    if (entry === undefined) {
      throw new ComponentNotFoundError(componentNotFound('emitter', topic, [...this.#emitters.keys()]), 'emitter', topic);
    }
    return entry.emitter as Emitter<V>;
  }

  /** Every registered emitter. */
  getEmitters(): readonly Emitter<unknown>[] {
    return [...this.#emitters.values()].map((entry) => entry.emitter);
  }

  /** Every processor with its group and `@Processor` class, in discovery order (for tools such as the monitor). */
  describeProcessors(): readonly GokaProcessorInfo[] {
    return [...this.#processors].map(([group, entry]) => ({ group, className: entry.className, processor: entry.processor }));
  }

  /** Every view with its table and codec, in registration order (for tools such as the monitor). */
  describeViews(): readonly GokaViewInfo[] {
    return [...this.#views].map(([table, entry]) => ({ table, view: entry.view, codec: entry.codec }));
  }

  /** Every emitter with its topic and codec, in registration order (for tools such as the testing module). */
  describeEmitters(): ReadonlyArray<{ readonly topic: string; readonly emitter: Emitter<unknown>; readonly codec: Codec<unknown> }> {
    return [...this.#emitters].map(([topic, entry]) => ({ topic, emitter: entry.emitter, codec: entry.codec }));
  }

  /** A snapshot of every processor and view: phase, state, and the error that ended a failed run. */
  status(): GokaStatus {
    const processors: Record<string, GokaComponentStatus> = {};
    for (const [group, entry] of this.#processors) {
      processors[group] = componentStatus(entry.run, entry.processor.state, entry.processor.state === 'running');
    }
    const views: Record<string, GokaComponentStatus> = {};
    for (const [table, entry] of this.#views) {
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
      const finish = (error?: unknown): void => {
        this.#listeners.delete(check);
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
      this.#listeners.add(check);
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

  /** @internal Registers the processor of a discovered `@Processor` class. */
  addProcessor(processor: Processor<unknown>, className: string): GokaRun {
    const run = new GokaRun();
    this.#processors.set(processor.group, { processor, className, run });
    processor.states.observe(() => this.#changed());
    run.watch(() => this.#changed());
    return run;
  }

  /** @internal The run of a processor. */
  processorRun(group: string): GokaRun | undefined {
    return this.#processors.get(group)?.run;
  }

  /**
   * @internal Registers (or reuses) the view of `table` under `name`; `create` is called only for a
   * table without view, whose run then restarts after failures by `restart` (if given). A second
   * registration with another codec is an error.
   */
  addView<V>(name: string, table: string, codec: Codec<V>, create: () => View<V>, restart?: GokaRestartPolicy): View<V> {
    const existing = this.#views.get(table);
    if (existing !== undefined && !sameCodec(existing.codec, codec)) throw new GokaOptionsError(viewCodecConflict(table));
    this.#viewNames.set(name, table);
    this.#viewNames.set(table, table);
    if (existing !== undefined) return existing.view as View<V>;
    const view = create();
    const run = new GokaRun(restart);
    this.#views.set(table, { view: view as View<unknown>, codec: codec as Codec<unknown>, run });
    view.onStateChange(() => this.#changed());
    run.watch(() => this.#changed());
    return view;
  }

  /** @internal The runs of every view, by table. */
  viewRuns(): ReadonlyMap<string, GokaRun> {
    return new Map([...this.#views].map(([table, entry]) => [table, entry.run]));
  }

  /** @internal Registers (or reuses) the emitter of `topic`. */
  addEmitter<V>(topic: string, codec: Codec<V>, create: () => Emitter<V>): Emitter<V> {
    const existing = this.#emitters.get(topic);
    if (existing !== undefined) {
      if (!sameCodec(existing.codec, codec)) throw new GokaOptionsError(emitterCodecConflict(topic));
      return existing.emitter as Emitter<V>;
    }
    const emitter = create();
    this.#emitters.set(topic, { emitter: emitter as Emitter<unknown>, codec: codec as Codec<unknown> });
    return emitter;
  }

  /** A processor or view changed state, or one of their runs settled: waiters re-check. */
  #changed(): void {
    // A listener may remove itself while this loop runs, which Set iteration allows.
    for (const listener of this.#listeners) listener();
  }

  /** Runs that ended, with what they were. */
  #endedRuns(): Array<{ what: string; outcome: GokaRunOutcome }> {
    const ended: Array<{ what: string; outcome: GokaRunOutcome }> = [];
    for (const [group, entry] of this.#processors) {
      const { outcome } = entry.run;
      if (outcome !== undefined) ended.push({ what: `processor "${group}" (${entry.className})`, outcome });
    }
    for (const [table, entry] of this.#views) {
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

/** Codecs count as the same when identical or of the same name (`codecs.json()` makes a new one per call). */
function sameCodec(a: Codec<unknown>, b: Codec<unknown>): boolean {
  return a === b || (a.name !== undefined && a.name === b.name);
}
