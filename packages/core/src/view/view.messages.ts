/** Messages of `ViewError` thrown by `View`. */

import { describeType, quote } from '../util/quote.js';

/** `View.run` while a run of the same view is active. */
export function viewAlreadyRunning(table: string): string {
  return `view ${quote(table)} is already running: await stop() (or the pending run()) before running it again`;
}

/** `waitRunning()` waited for a run that ended before the view was running. */
export function viewStoppedBeforeRunning(table: string): string {
  return `view ${quote(table)} stopped before it was running`;
}

/** A view option (or the table name or codec) has an unusable value. */
export function viewInvalidOption(table: string, option: string, requirement: string, value: unknown): string {
  const got = typeof value === 'number' ? String(value) : describeType(value);
  return `invalid options of the view of table ${quote(table)}: ${option} must be ${requirement}, got ${got}`;
}
