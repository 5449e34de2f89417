import { readFileSync } from 'node:fs';
import { now } from './measure.js';

/** `some total` of Linux' CPU pressure (PSI): µs during which at least one runnable task waited for a CPU. */
export function cpuStallMicros(): number | undefined {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n').find((text) => text.startsWith('some '));
    const total = line === undefined ? undefined : /total=(\d+)/.exec(line)?.[1];
    return total === undefined ? undefined : Number(total);
  } catch {
    return undefined;
  }
}

/**
 * Measures how contended the machine's CPUs were over a window: the share of wall time during which
 * some runnable task waited for a CPU (Linux PSI `cpu some`), e.g. 0.7 = 70%. On a 2-core machine
 * running the broker and the bench this is the best single number for "how noisy was this phase".
 * `stop()` returns `undefined` where PSI is not available.
 */
export function cpuPressure(): { stop(): number | undefined } {
  const startMicros = cpuStallMicros();
  const started = now();
  return {
    stop() {
      const endMicros = cpuStallMicros();
      const wallMs = now() - started;
      if (startMicros === undefined || endMicros === undefined || wallMs <= 0) return undefined;
      return Math.round(((endMicros - startMicros) / 1000 / wallMs) * 1000) / 1000;
    },
  };
}
