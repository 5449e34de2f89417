import { sleep } from '../util.js';
import { isRetriableKafkaError } from '../kafkajs-errors.js';

/** First and longest pause between retries of a failing call. */
export const RETRY_FIRST_MS = 100;
export const RETRY_MAX_MS = 5_000;

/** The pause after a call has been failing for `failingForMs`: half of that, from 100 ms up to 5 s. */
export function retryDelay(failingForMs: number): number {
  return Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, failingForMs / 2));
}

/** Whether to try again: the error is retriable and the call has failed for less than `timeoutMs`. */
export function shouldRetry(error: unknown, failingForMs: number, timeoutMs: number): boolean {
  return failingForMs < timeoutMs && isRetriableKafkaError(error);
}

export interface RetryingOptions {
  /** How long to keep retrying after the first failure. */
  readonly timeoutMs: number;
  /** Ends the retries: the last error is thrown at once. */
  readonly signal: AbortSignal;
  /** Called after each failure that will be retried. */
  readonly onRetry?: ((error: unknown, failingForMs: number) => void) | undefined;
  /** Which errors are worth another try. @default isRetriableKafkaError */
  readonly retriable?: ((error: unknown) => boolean) | undefined;
}

/**
 * Runs `call` until it resolves; retriable errors (kafkajs', or those `retriable` accepts) are retried
 * after {@link retryDelay} for up to `timeoutMs` (`Infinity`: as long as it takes). Throws the last
 * error when it is not retriable, the time is up or `signal` aborted.
 */
export async function retrying<T>(call: () => Promise<T>, options: RetryingOptions): Promise<T> {
  let failingSince: number | undefined;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const now = Date.now();
      failingSince ??= now;
      const failingFor = now - failingSince;
      const retriable = options.retriable?.(error) ?? isRetriableKafkaError(error);
      if (options.signal.aborted || !retriable || failingFor >= options.timeoutMs) throw error;
      options.onRetry?.(error, failingFor);
      await sleep(retryDelay(failingFor), options.signal);
      if (options.signal.aborted) throw error;
    }
  }
}
