/**
 * Where a processor or view is in its life, as the registry sees it: `created` (not started),
 * `starting` (run loop started, not yet recovered), `ready` (recovered and processing / serving),
 * `failed` (its run ended with an error; a view with `autoReconnect` waits to be restarted),
 * `stopped` (its run ended without error).
 *
 * @publicApi
 */
export type GokaComponentPhase = 'created' | 'starting' | 'ready' | 'failed' | 'stopped';

/**
 * One processor or view in {@link GokaStatus}.
 *
 * @publicApi
 */
export interface GokaComponentStatus {
  readonly phase: GokaComponentPhase;
  /** The component's own state (core `ProcessorState` or `ViewState`). */
  readonly state: string;
  /**
   * The message of the error that ended its run (`failed`), or, for a view the module restarted
   * after that error and that is not running yet (`starting`), of the error it recovers from.
   */
  readonly error?: string;
}

/**
 * A snapshot of every processor and view of the module.
 *
 * @publicApi
 */
export interface GokaStatus {
  /** Whether every processor and view is `ready`. */
  readonly ready: boolean;
  /** By group. */
  readonly processors: Readonly<Record<string, GokaComponentStatus>>;
  /** By table topic. */
  readonly views: Readonly<Record<string, GokaComponentStatus>>;
}

/**
 * The result of a health indicator as `@nestjs/terminus` expects it: `{ [key]: { status, ...details } }`.
 *
 * @publicApi
 */
export type GokaHealthIndicatorResult = Record<
  string,
  { readonly status: 'up' | 'down'; /** What is not ready (when down). */ readonly message?: string } & Omit<GokaStatus, 'ready'>
>;

/**
 * Options of `GokaRegistry.waitForReady`.
 *
 * @publicApi
 */
export interface GokaWaitOptions {
  /** Stops waiting (rejecting with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Longest wait; then rejects with a `GokaNotReadyError` naming what is not ready. @default no limit */
  readonly timeoutMs?: number;
}
