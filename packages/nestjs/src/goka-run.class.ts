/** How a run ended: without error, or with one. */
export type GokaRunOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * One run loop of a processor or view: started once with an abort signal, never awaited by the
 * caller (its promise is kept here), aborted at shutdown. `settled()` never rejects; the error, if
 * any, is kept in {@link outcome} and handed to `onSettled`.
 */
export class GokaRun {
  readonly #controller = new AbortController();
  #settled: Promise<void> | undefined;
  #outcome: GokaRunOutcome | undefined;

  /** Whether {@link start} was called. */
  get started(): boolean {
    return this.#settled !== undefined;
  }

  /** How the run ended; `undefined` while it runs or before it started. */
  get outcome(): GokaRunOutcome | undefined {
    return this.#outcome;
  }

  /** Starts `run` with this run's signal (once; later calls are ignored). */
  start(run: (signal: AbortSignal) => Promise<void>, onSettled: (outcome: GokaRunOutcome) => void): void {
    if (this.#settled !== undefined) return;
    const settle = (outcome: GokaRunOutcome): void => {
      this.#outcome = outcome;
      onSettled(outcome);
    };
    let promise: Promise<void>;
    try {
      promise = run(this.#controller.signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.#settled = promise.then(
      () => settle({ ok: true }),
      (error: unknown) => settle({ ok: false, error }),
    );
  }

  /** Aborts the run's signal (the run then settles on its own). */
  abort(): void {
    this.#controller.abort();
  }

  /** Resolves once the run has ended (at once when it never started). Never rejects. */
  settled(): Promise<void> {
    return this.#settled ?? Promise.resolve();
  }
}
