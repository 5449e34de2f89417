/** Messages of the state signal and the backoff settings. */

import { describeType, quote } from './quote.js';

/** A state signal was set to a state it does not declare (Goka panics). */
export function stateUndeclared(state: string, declared: readonly string[]): string {
  return `state ${quote(state)} is not declared (declared states: ${declared.join(', ')})`;
}

/** A backoff setting is not a non-negative finite number of milliseconds. */
export function backoffInvalidOption(option: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `backoff ${option} must be a non-negative finite number of milliseconds, got ${got}`;
}
