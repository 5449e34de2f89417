/**
 * Errors that stopped components of the tester (a processor's run rejecting), kept until the next
 * `consume`, `catchup` or other waiting call reports them by rejecting with the first one.
 */
export class FailureLog {
  #pending: Array<{ readonly error: unknown }> = [];

  /** Records a failure to report. */
  report(error: unknown): void {
    this.#pending.push({ error });
  }

  /** Whether a failure waits to be reported. */
  get pending(): boolean {
    return this.#pending.length > 0;
  }

  /** Rejects with the first unreported failure (forgetting all of them), else resolves. */
  async flush(): Promise<void> {
    const [first] = this.#pending;
    this.#pending = [];
    if (first !== undefined) throw first.error;
  }
}
