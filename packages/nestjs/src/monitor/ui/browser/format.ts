/** Number, size, time and duration formatting of the monitor pages (pure: no DOM). */

/** A value the API may leave out (`undefined`) or a computation may not have (`null`). */
export type Maybe<T> = T | undefined | null;

const NONE = '–';

function missing(value: Maybe<number>): value is undefined | null {
  return value === undefined || value === null || Number.isNaN(value);
}

/** Compact: `12.3k`, `4.5M`, `1.2G`; one decimal below 10, none from 10 (unless `digits`). */
export function fmtNum(value: Maybe<number>, digits?: number): string {
  if (missing(value)) return NONE;
  const abs = Math.abs(value);
  if (abs >= 1e9) return (value / 1e9).toFixed(1) + 'G';
  if (abs >= 1e6) return (value / 1e6).toFixed(1) + 'M';
  if (abs >= 1e4) return (value / 1e3).toFixed(1) + 'k';
  const fraction = digits ?? (abs < 10 ? 1 : 0);
  return value.toLocaleString('en-US', { minimumFractionDigits: Number.isInteger(value) ? 0 : fraction, maximumFractionDigits: fraction });
}

/** Exact, grouped: offsets, high-water marks, lag and counts (compact forms only for rates and axis ticks). */
export function fmtInt(value: Maybe<number>): string {
  if (missing(value)) return NONE;
  return Math.round(value).toLocaleString('en-US');
}

export function fmtRate(value: Maybe<number>): string {
  return value === undefined || value === null ? NONE : fmtNum(value) + '/s';
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function fmtBytes(value: Maybe<number>): string {
  if (value === undefined || value === null) return NONE;
  let n = value;
  let unit = 0;
  while (Math.abs(n) >= 1024 && unit < BYTE_UNITS.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return (unit === 0 ? String(Math.round(n)) : n.toFixed(1)) + ' ' + BYTE_UNITS[unit];
}

/** `2h 5m`, `3m 20s`, `7s`. */
export function fmtDuration(seconds: Maybe<number>): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return NONE;
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return hours + 'h ' + minutes + 'm';
  if (minutes > 0) return minutes + 'm ' + secs + 's';
  return secs + 's';
}

export function fmtInterval(ms: number): string {
  return ms < 1000 ? Math.round(ms) + ' ms' : fmtDuration(ms / 1000);
}

export function fmtTime(ms: Maybe<number>): string {
  if (ms === undefined || ms === null) return NONE;
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

export function fmtDateTime(ms: Maybe<number>): string {
  if (ms === undefined || ms === null) return NONE;
  const date = new Date(ms);
  return date.toLocaleDateString('en-CA') + ' ' + date.toLocaleTimeString('en-GB', { hour12: false });
}

/** The sum of the defined values; `undefined` when there is none (a rate not known yet). */
export function sumDefined(values: readonly Maybe<number>[]): number | undefined {
  let total: number | undefined;
  for (const value of values) if (value !== undefined && value !== null) total = (total ?? 0) + value;
  return total;
}
