import { GraphValidationError } from '../errors/graph-validation-error.js';
import type { Headers } from '../kafka/message.js';

/**
 * Sends the failed record (its original key, value and header bytes, plus `goka-dlq-*` headers saying
 * where it came from and why) to a dead-letter topic, then commits past it. The input offset is
 * committed only after Kafka acknowledged the dead-letter record.
 */
export interface DeadLetterPolicy {
  readonly kind: 'dead-letter';
  /** The dead-letter topic. @default `<group>-dlq` */
  readonly topic?: string;
}

/** What a retry falls back to once its attempts are used up. */
export type FinalErrorPolicy = 'fail' | 'skip' | DeadLetterPolicy;

/**
 * Runs the callback again for the same record after a backoff, up to `attempts` runs in all; the
 * partition waits meanwhile (order per key holds), other partitions go on, and a rebalance or shutdown
 * ends the wait (the record is then processed again by the next owner). When every attempt failed,
 * `fallback` decides. Decode errors are not retried (decoding the same bytes fails the same way): they go
 * to `fallback` at once, unless the codec's error has a retriable cause (`GokaError.retriable`, e.g. a
 * schema registry that did not answer yet), which is retried like a failed callback.
 */
export interface RetryPolicy {
  readonly kind: 'retry';
  /** Runs of the callback in all, the first one included (at least 1). */
  readonly attempts: number;
  /** The wait before the second run; it doubles for each later one. */
  readonly backoffMs: number;
  /** The longest wait. */
  readonly maxBackoffMs: number;
  /** What happens when every attempt failed. */
  readonly fallback: FinalErrorPolicy;
}

/** The record whose callback (or input decode) failed, as handed to an {@link ErrorPolicyFunction}. */
export interface FailedRecord {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The key as text (`''` for a null key). */
  readonly key: string;
  /** The raw key; `null` when the record had none. */
  readonly keyBytes: Buffer | null;
  /** The raw value; `null` for a tombstone. */
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp: number;
  /** Whether the value failed to decode (the callback never ran). */
  readonly decodeFailed: boolean;
}

/** Decides per failure; called once per failed record, with the first error. */
export type ErrorPolicyFunction = (error: unknown, record: FailedRecord) => FinalErrorPolicy | RetryPolicy;

/**
 * What happens when an input callback throws (or rejects, or calls `ctx.fail`) or an input value does
 * not decode: `'fail'` stops the processor (Goka's behaviour, the default), `'skip'` logs a warning and
 * commits past the record, {@link deadLetter} sends it to a dead-letter topic, {@link retry} runs the
 * callback again first, and a function decides per error.
 */
export type ErrorPolicy = FinalErrorPolicy | RetryPolicy | ErrorPolicyFunction;

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Runs of the callback in all, the first one included. @default 3 */
  readonly attempts?: number;
  /** The wait before the second run, doubled for each later one. @default 100 */
  readonly backoffMs?: number;
  /** The longest wait. @default 10000 */
  readonly maxBackoffMs?: number;
  /** What happens when every attempt failed. @default 'fail' */
  readonly fallback?: FinalErrorPolicy;
}

const POLICY_RULE = { group: '', rule: 'invalid-error-policy' } as const;

/** The dead-letter topic of `group` when a policy names none. */
export function defaultDeadLetterTopic(group: string): string {
  return `${group}-dlq`;
}

/** A {@link DeadLetterPolicy}: the failed record goes to `topic` (default `<group>-dlq`). */
export function deadLetter(options: { readonly topic?: string } = {}): DeadLetterPolicy {
  if (options.topic !== undefined && options.topic.trim() === '') {
    throw new GraphValidationError('deadLetter({ topic }) needs a topic name, got an empty string', POLICY_RULE);
  }
  return Object.freeze(options.topic === undefined ? { kind: 'dead-letter' } : { kind: 'dead-letter', topic: options.topic });
}

/** A {@link RetryPolicy}: up to `attempts` runs with doubling backoff, then `fallback`. */
export function retry(options: RetryOptions = {}): RetryPolicy {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? Math.max(10_000, backoffMs);
  const fallback = options.fallback ?? 'fail';
  if (!Number.isInteger(attempts) || attempts < 1) invalidRetry(`{ attempts: ${String(attempts)} }: attempts must be an integer ≥ 1`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) invalidRetry(`{ backoffMs: ${String(backoffMs)} }: backoffMs must be ≥ 0`);
  if (!Number.isFinite(maxBackoffMs) || maxBackoffMs < backoffMs) {
    invalidRetry(`{ maxBackoffMs: ${String(maxBackoffMs)} }: maxBackoffMs must be ≥ backoffMs (${backoffMs})`);
  }
  checkErrorPolicy(fallback, 'retry({ fallback })', 'final');
  return Object.freeze({ kind: 'retry', attempts, backoffMs, maxBackoffMs, fallback });
}

function invalidRetry(what: string): never {
  throw new GraphValidationError(`retry(${what}) is not valid`, POLICY_RULE);
}

/**
 * Which policies fit where: `any` (an `onError` option), `decided` (what a policy function returns:
 * no function) or `final` (a retry's `fallback`: no retry, no function).
 */
export type PolicyPlace = 'any' | 'decided' | 'final';

/**
 * Throws a `GraphValidationError` (rule `invalid-error-policy`) naming `where` and `group` unless
 * `policy` is an error policy that fits `place`.
 */
export function checkErrorPolicy(policy: unknown, where: string, place: PolicyPlace = 'any', group = ''): asserts policy is ErrorPolicy {
  if (policy === 'fail' || policy === 'skip') return;
  if (typeof policy === 'function' && place === 'any') return;
  const kind = typeof policy === 'object' && policy !== null ? (policy as { kind?: unknown }).kind : undefined;
  if (kind === 'dead-letter') return;
  if (kind === 'retry' && place !== 'final') return;
  const shown = typeof policy === 'string' ? `"${policy}"` : typeof policy === 'object' ? JSON.stringify(policy) : String(policy);
  const choices = { any: "'fail', 'skip', deadLetter(), retry() or a function", decided: "'fail', 'skip', deadLetter() or retry()", final: "'fail', 'skip' or deadLetter()" }[place];
  throw new GraphValidationError(`${where}: onError must be ${choices}, got ${shown}`, { ...POLICY_RULE, group });
}

/** The dead-letter topics `policy` may write to, as far as known before a failure (a function may add others). */
export function deadLetterTopics(policy: ErrorPolicy | undefined, group: string): string[] {
  if (policy === undefined || typeof policy === 'function' || typeof policy === 'string') return [];
  if (policy.kind === 'retry') return deadLetterTopics(policy.fallback, group);
  return [policy.topic ?? defaultDeadLetterTopic(group)];
}
