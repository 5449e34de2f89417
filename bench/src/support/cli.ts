/** Command-line parsing shared by the bench commands (`pnpm bench`, `bench:pipeline`, `bench:recovery`). */

/** A positive integer flag (`1_000_000` and `1,000,000` accepted); `fallback` when the flag is absent. */
export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

/** A non-negative integer flag (0 allowed, e.g. to leave a phase out); `fallback` when absent. */
export function nonNegativeInt(value: string | undefined, name: string, fallback: number): number {
  return value?.trim() === '0' ? 0 : positiveInt(value, name, fallback);
}

/** A positive integer flag without a default: `undefined` when absent. */
export function optionalInt(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : positiveInt(value, name, 0);
}

/**
 * A comma-separated subset of `all` (every one when absent), in the order of `all` whatever order was given;
 * `noun` names one item in the error (`unknown phase x; phases are …`).
 */
export function subsetOf<T extends string>(value: string | undefined, all: readonly T[], noun: string): T[] {
  if (value === undefined) return [...all];
  const asked = value.split(',').map((item) => item.trim());
  for (const item of asked) {
    if (!(all as readonly string[]).includes(item)) throw new Error(`unknown ${noun} ${item}; ${noun}s are ${all.join(', ')}`);
  }
  return all.filter((item) => asked.includes(item));
}

/** The `parseArgs` options every bench command takes: its own broker, the result file, the phase timeout, help. */
export const RUN_FLAGS = {
  port: { type: 'string' },
  'keep-broker': { type: 'boolean' },
  'no-json': { type: 'boolean' },
  'phase-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What {@link RUN_FLAGS} set. */
export interface RunOptions {
  /** The port of the bench's own broker (when KAFKA_BROKERS is not set). */
  readonly port: number;
  /** Leave a broker the bench started running. */
  readonly keepBroker: boolean;
  /** Do not write result files. */
  readonly noJson: boolean;
  /** Longest time one phase may take before the bench gives up on it. */
  readonly phaseTimeoutMs: number;
}

/** Reads the {@link RUN_FLAGS} values; `phaseTimeoutS` is the default of `--phase-timeout`. */
export function runOptions(
  values: { readonly port?: string | undefined; readonly 'keep-broker'?: boolean | undefined; readonly 'no-json'?: boolean | undefined; readonly 'phase-timeout'?: string | undefined },
  phaseTimeoutS: number,
): RunOptions {
  return {
    port: positiveInt(values.port, '--port', 19_592),
    keepBroker: values['keep-broker'] === true,
    noJson: values['no-json'] === true,
    phaseTimeoutMs: positiveInt(values['phase-timeout'], '--phase-timeout', phaseTimeoutS) * 1000,
  };
}
