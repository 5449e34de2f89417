/** Plain-text tables for bench output. */

export type Align = 'left' | 'right';

export interface Column {
  readonly title: string;
  readonly align: Align;
}

/** Renders `rows` under `columns`, padded to the widest cell of each column. */
export function renderTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((column, i) => Math.max(column.title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.title)), rule, ...rows.map(line)].join('\n');
}

/** 1234567 → `1,234,567`. */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds as seconds with 2 decimals (`0.15 s`), or whole ms below 1 s (`145 ms`). */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A ratio with 2 decimals, or `—` when undefined. */
export function ratio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`;
}

/** `2026-11-24T07:55:12.345Z` → `2026-11-24T0755Z` (sortable, one result file per minute). */
export function fileStamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** The columns of a results table: the first (what was measured) left-aligned, the numbers after it right-aligned. */
export function labelThenNumbers(label: string, ...numbers: readonly string[]): Column[] {
  return [{ title: label, align: 'left' }, ...numbers.map((title): Column => ({ title, align: 'right' }))];
}
