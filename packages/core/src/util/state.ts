import { stateUndeclared } from './util.messages.js';

/** Called after every state change with the new and the previous state. */
export type StateListener<S extends string> = (state: S, previous: S) => void;

/** The read side of a {@link StateSignal}: what components expose to their users. */
export interface StateReader<S extends string> {
  /** The current state. */
  readonly state: S;
  /** Whether the current state is `state`. */
  is(state: S): boolean;
  /** Whether the current state is `state` or a later one (in declaration order). */
  atLeast(state: S): boolean;
  /**
   * Resolves once the state is `state` (at once if it is). Rejects with `signal.reason` when
   * `signal` aborts first.
   */
  waitFor(state: S, signal?: AbortSignal): Promise<void>;
  /** Resolves once the state is `state` or a later one (at once if it is). */
  waitForMin(state: S, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `listener` after every change (not with the current state). Returns the unsubscribe
   * function. Listeners run synchronously inside {@link StateSignal.set}.
   */
  observe(listener: StateListener<S>): () => void;
}

interface Waiter {
  readonly accepts: (rank: number) => boolean;
  readonly resolve: () => void;
}

/**
 * An awaitable state (Goka's `Signal`): a value from a fixed, ordered list of declared states that
 * can be set, awaited (exactly, or "at least") and observed.
 *
 * @example
 * const signal = new StateSignal(['stopped', 'connecting', 'running'] as const, 'stopped');
 * void signal.waitForMin('connecting').then(() => log('connected'));
 * signal.set('running'); // resolves the wait: running comes after connecting
 */
export class StateSignal<S extends string> implements StateReader<S> {
  readonly #ranks: ReadonlyMap<S, number>;
  readonly #declared: readonly S[];
  #state: S;
  #waiters: Waiter[] = [];
  readonly #listeners = new Set<StateListener<S>>();

  /**
   * @param states the declared states, in order (earlier states are "less" than later ones)
   * @param initial the state to start in (must be declared)
   * @throws RangeError when `initial` is not declared
   */
  constructor(states: readonly S[], initial: S) {
    this.#declared = [...states];
    this.#ranks = new Map(states.map((state, index) => [state, index]));
    this.#state = initial;
    this.rank(initial);
  }

  get state(): S {
    return this.#state;
  }

  /** The position of `state` in the declared order. @throws RangeError when undeclared */
  rank(state: S): number {
    const rank = this.#ranks.get(state);
    if (rank === undefined) throw new RangeError(stateUndeclared(String(state), this.#declared));
    return rank;
  }

  is(state: S): boolean {
    return this.#state === state;
  }

  atLeast(state: S): boolean {
    return this.rank(this.#state) >= this.rank(state);
  }

  /**
   * Changes the state (no-op when unchanged), resolves matching waiters and calls the listeners.
   * If a listener throws, the remaining listeners still run and the first error is thrown afterwards.
   *
   * @throws RangeError when `state` is not declared (Goka panics)
   */
  set(state: S): void {
    const rank = this.rank(state);
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    if (this.#waiters.length > 0) {
      const waiting = this.#waiters;
      this.#waiters = [];
      for (const waiter of waiting) {
        if (waiter.accepts(rank)) waiter.resolve();
        else this.#waiters.push(waiter);
      }
    }
    let failure: { error: unknown } | undefined;
    for (const listener of Array.from(this.#listeners)) {
      try {
        listener(state, previous);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  waitFor(state: S, signal?: AbortSignal): Promise<void> {
    const target = this.rank(state);
    return this.#wait((rank) => rank === target, signal);
  }

  waitForMin(state: S, signal?: AbortSignal): Promise<void> {
    const target = this.rank(state);
    return this.#wait((rank) => rank >= target, signal);
  }

  observe(listener: StateListener<S>): () => void {
    // A wrapper makes every subscription distinct, so subscribing one function twice works.
    const entry: StateListener<S> = (state, previous) => listener(state, previous);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  #wait(accepts: (rank: number) => boolean, signal: AbortSignal | undefined): Promise<void> {
    if (accepts(this.rank(this.#state))) return Promise.resolve();
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry);
        reject(signal?.reason);
      };
      const entry: Waiter = {
        accepts,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiters.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
