/** @publicApi How a component's run ended (or `running` while it has not). */
export type RunOutcome = 'running' | 'stopped' | 'failed' | 'crashed';

/** Callbacks of a {@link RunRecord}. */
export interface RunWatch {
  /** Called when the run rejects and it was not a crash the tester caused. */
  readonly onFailure: (error: unknown) => void;
  /** Whether a rejection now is the crash the tester caused. */
  readonly crashing: () => boolean;
}

/** Watches one `run()` of a processor or view: its outcome and a promise that never rejects. */
export class RunRecord {
  #outcome: RunOutcome = 'running';
  #error: unknown;
  /** Resolves when the run has settled, however it ended. */
  readonly settled: Promise<void>;

  constructor(run: Promise<void>, watch: RunWatch) {
    this.settled = run.then(
      () => {
        this.#outcome = 'stopped';
      },
      (error: unknown) => {
        if (watch.crashing()) {
          this.#outcome = 'crashed';
          return;
        }
        this.#outcome = 'failed';
        this.#error = error;
        watch.onFailure(error);
      },
    );
  }

  get outcome(): RunOutcome {
    return this.#outcome;
  }

  /** The error the run failed with (`undefined` unless the outcome is `failed`). */
  get error(): unknown {
    return this.#error;
  }
}
