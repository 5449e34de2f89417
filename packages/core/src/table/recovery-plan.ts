/**
 * Where a partition table starts reading, from the stored offset and the partition's offsets
 * (Goka's `partition_table.go`, §2.11 steps 3–5).
 *
 * - `load`: records in `[start, hwm)` must be read.
 * - `up-to-date`: nothing to read (`start >= hwm`).
 * - `ahead`: the stored offset is at or past the high-water mark (topic recreated, crash while
 *   writing, or a bug): log Goka's warning and treat the partition as recovered (`start = hwm`).
 * - `gone`: the store has an offset > 0 but the topic is empty: the table is probably gone; fail.
 */
export type RecoveryStatus = 'load' | 'up-to-date' | 'ahead' | 'gone';

/** The result of {@link planRecovery}. */
export interface RecoveryPlan {
  readonly status: RecoveryStatus;
  /** The first offset to read. */
  readonly start: number;
  readonly oldest: number;
  /** The high-water mark: reading stops once it is reached. */
  readonly hwm: number;
  /** The last applied offset in the local store, `undefined` if none. */
  readonly stored: number | undefined;
}

/**
 * `start = stored === undefined ? oldest : stored + 1`, raised to `oldest` (compaction or retention
 * removed older records); `stored > 0 && hwm === 0` is `gone`; `stored >= hwm` is `ahead` with
 * `start = hwm`; otherwise `up-to-date` when `start >= hwm`, else `load`.
 */
export function planRecovery(stored: number | undefined, oldest: number, hwm: number): RecoveryPlan {
  let start = stored === undefined ? oldest : stored + 1;
  if (start < oldest) start = oldest;
  if (stored !== undefined && stored > 0 && hwm === 0) return { status: 'gone', start, oldest, hwm, stored };
  if (stored !== undefined && stored >= hwm) return { status: 'ahead', start: hwm, oldest, hwm, stored };
  return { status: start >= hwm ? 'up-to-date' : 'load', start, oldest, hwm, stored };
}
