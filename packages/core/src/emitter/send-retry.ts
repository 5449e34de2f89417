import { emitterRecovered, emitterWillRetry } from './emitter.messages.js';
import type { GokaLogger } from '../util/logger.js';

/** A warning while sends keep failing, once per this many ms (the other retries log at debug). */
const WARN_EVERY_MS = 10_000;

/** Backoff settings of {@link SendRetry}. */
export interface SendRetrySettings {
  readonly retryBackoffMs: number;
  readonly maxRetryBackoffMs: number;
}

/**
 * The emitter's failure streak: since when sends fail with retriable errors, the last error, and the
 * backoff before the next attempt (exponential from `retryBackoffMs`, capped at `maxRetryBackoffMs`).
 * Logs the first failure and one every {@link WARN_EVERY_MS} at warn, and the recovery at info.
 */
export class SendRetry {
  private since: number | undefined;
  private attempts = 0;
  private warnedAt = Number.NEGATIVE_INFINITY;
  /** The error of the last failed attempt (kept after a recovery, for records that time out later). */
  lastError: unknown;

  constructor(
    private readonly topic: string,
    private readonly settings: SendRetrySettings,
    private readonly logger: GokaLogger,
  ) {}

  /** Whether the last attempt failed. */
  get failing(): boolean {
    return this.since !== undefined;
  }

  /** Records a retriable failure and returns how long to wait before the next attempt, ms. */
  failed(error: unknown, buffered: number): number {
    const now = performance.now();
    this.since ??= now;
    this.lastError = error;
    const { retryBackoffMs, maxRetryBackoffMs } = this.settings;
    const waitMs = Math.min(maxRetryBackoffMs, retryBackoffMs * 2 ** Math.min(this.attempts, 30));
    this.attempts++;
    const reason = error instanceof Error ? error.message : String(error);
    const message = emitterWillRetry(this.topic, reason, waitMs, Math.round(now - this.since), buffered);
    const fields = { attempt: this.attempts, error };
    if (now - this.warnedAt >= WARN_EVERY_MS) {
      this.warnedAt = now;
      this.logger.warn(message, fields);
    } else {
      this.logger.debug(message, fields);
    }
    return waitMs;
  }

  /** Ends a failure streak (logged) after a send went through. */
  succeeded(): void {
    if (this.since === undefined) return;
    this.logger.info(emitterRecovered(this.topic, Math.round(performance.now() - this.since)));
    this.since = undefined;
    this.attempts = 0;
    this.warnedAt = Number.NEGATIVE_INFINITY;
  }
}
