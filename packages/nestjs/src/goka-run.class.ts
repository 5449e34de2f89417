import { SimpleBackoff } from '@goka/core';
import type { BackoffOptions } from '@goka/core';

/** How a run ended: without error, or with one. */
export type GokaRunOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * Restarting a run that failed: after each failure the run waits the backoff's next wait (0,
 * `step`, 2·`step`, ... up to `max`) and starts again; a run that lasted `resetAfter` ms before
 * failing starts the waits over at 0.
 */
export interface GokaRestartPolicy {
  readonly backoff: Readonly<Required<BackoffOptions>>;
}

/**
 * Called after every run of the loop ended: with the wait before the restart, or `undefined` when
 * the loop ends here (no restart policy, aborted, or ended without error).
 */
export type GokaRunSettled = (outcome: GokaRunOutcome, restartInMs: number | undefined) => void;

/**
 * The run loop of a processor or view: started once with an abort signal, never awaited by the
 * caller (its promise is kept here), aborted at shutdown. With a {@link GokaRestartPolicy} a run
 * that fails is started again after a backoff until the signal aborts (a view that stays up); while
 * it waits, {@link outcome} is the failure and {@link restarting} is `true`. `settled()` never
 * rejects; the error, if any, is kept in {@link outcome} and handed to `onSettled`.
 *
 * Who starts a run (the orchestrator) passes `onSettled`; who only keeps its status (the registry)
 * subscribes with {@link watch}, so neither calls the other.
 */
export class GokaRun {
  readonly #controller = new AbortController();
  readonly #restart: GokaRestartPolicy | undefined;
  readonly #watchers = new Set<() => void>();
  #settled: Promise<void> | undefined;
  #outcome: GokaRunOutcome | undefined;
  #restarting = false;
  #restarts = 0;

  constructor(restart?: GokaRestartPolicy) {
    this.#restart = restart;
  }

  /** Whether {@link start} was called. */
  get started(): boolean {
    return this.#settled !== undefined;
  }

  /** How the last run ended; `undefined` while a run is active or before the first started. */
  get outcome(): GokaRunOutcome | undefined {
    return this.#outcome;
  }

  /** Whether the last run failed and the loop waits to start it again. */
  get restarting(): boolean {
    return this.#restarting;
  }

  /** How many times a failed run was started again. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Starts `run` with this loop's signal (once; later calls are ignored). */
  start(run: (signal: AbortSignal) => Promise<void>, onSettled: GokaRunSettled): void {
    if (this.#settled !== undefined) return;
    this.#settled = this.#loop(run, onSettled);
  }

  /** Calls `watcher` each time a run of the loop settled, after the starter's `onSettled`. */
  watch(watcher: () => void): void {
    this.#watchers.add(watcher);
  }

  /** Aborts the loop's signal: the active run settles on its own, a pending restart is dropped. */
  abort(): void {
    this.#controller.abort();
  }

  /** Resolves once the loop has ended (at once when it never started). Never rejects. */
  settled(): Promise<void> {
    return this.#settled ?? Promise.resolve();
  }

  async #loop(run: (signal: AbortSignal) => Promise<void>, onSettled: GokaRunSettled): Promise<void> {
    const { signal } = this.#controller;
    const backoff = this.#restart === undefined ? undefined : new SimpleBackoff(this.#restart.backoff);
    for (;;) {
      const began = Date.now();
      const outcome = await attempt(run, signal);
      this.#outcome = outcome;
      if (outcome.ok || signal.aborted || backoff === undefined) {
        this.#settle(onSettled, outcome, undefined);
        return;
      }
      if (Date.now() - began >= backoff.resetAfter) backoff.reset();
      const wait = backoff.duration();
      this.#restarting = true;
      this.#settle(onSettled, outcome, wait);
      const waited = await sleep(wait, signal);
      this.#restarting = false;
      if (!waited) return;
      this.#restarts += 1;
      // Cleared before the run starts, so its first state change already reads as a new start.
      this.#outcome = undefined;
    }
  }

  #settle(onSettled: GokaRunSettled, outcome: GokaRunOutcome, restartInMs: number | undefined): void {
    onSettled(outcome, restartInMs);
    for (const watcher of this.#watchers) watcher();
  }
}

async function attempt(run: (signal: AbortSignal) => Promise<void>, signal: AbortSignal): Promise<GokaRunOutcome> {
  try {
    await run(signal);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
