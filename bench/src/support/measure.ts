import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const MIB = 1024 * 1024;

/** Bytes to MiB, one decimal. */
export function mib(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

/** The process' peak resident set size so far (the kernel's high-water mark), in bytes. */
export function processPeakRss(): number {
  return ownPeakRssKiB() * 1024;
}

/**
 * The process' peak RSS in KiB: Linux' `VmHWM` from `/proc/self/status`, the high-water mark of the
 * process' own memory. Not `getrusage`'s `maxRSS` there: Linux carries it over from the parent
 * across fork and exec, so a worker the bench spawned reported at least the bench's own RSS (a
 * child of a 345 MiB process reported 305 MiB while it held 142). Elsewhere, `maxRSS`.
 */
export function ownPeakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/**
 * Samples the resident set size every `intervalMs` while a phase runs, to report each phase's own
 * peak (the kernel's `maxRSS` only ever grows over the whole process). A busy event loop delays
 * samples, so the value is a lower bound of the true peak.
 */
export class RssSampler {
  /** RSS when sampling started, bytes. */
  readonly start = process.memoryUsage.rss();
  #peak = this.start;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 25) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
  }

  /** Stops sampling and returns the peak in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak;
  }
}

/** A monotonic clock in milliseconds. */
export function now(): number {
  return performance.now();
}

/** Runs a full garbage collection when node runs with `--expose-gc`, so phases start from a similar heap. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

/**
 * Resolves with `work`'s result, or rejects after `timeoutMs` with a message naming `what` (and
 * calls `onTimeout` first, e.g. to abort the work).
 */
export async function withTimeout<T>(what: string, timeoutMs: number, work: Promise<T>, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A phase's peak RSS and its growth over the RSS at the phase's start, in MiB: `412 (+96)`. */
export function peakAndGrowthMiB(peakRssBytes: number, startRssBytes: number): string {
  return `${mib(peakRssBytes).toFixed(0)} (+${mib(Math.max(0, peakRssBytes - startRssBytes)).toFixed(0)})`;
}
