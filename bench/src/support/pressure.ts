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

/** Busy and total jiffies of all CPUs together (`/proc/stat`'s `cpu` line), `undefined` off Linux. */
function cpuJiffies(): { readonly busy: number; readonly total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return Number.isFinite(total) && total > 0 ? { busy: total - idle, total } : undefined;
  } catch {
    return undefined;
  }
}

/** How long {@link settle} waited and how busy the CPUs were in its last second (0.25 = a quarter of all CPUs). */
export interface Settled {
  readonly waitedMs: number;
  readonly busyShare: number | undefined;
}

/**
 * Waits until the machine is calm: all CPUs together at most `maxBusy` busy in each of `calmSeconds`
 * seconds in a row, or `timeoutMs` passed. A phase that follows heavy ones (the broker compacting
 * and deleting the tables they wrote) otherwise measures that background work; a latency tail most
 * of all. Off Linux it returns at once.
 */
export async function settle(maxBusy = 0.25, calmSeconds = 3, timeoutMs = 90_000): Promise<Settled> {
  const started = now();
  let previous = cpuJiffies();
  if (previous === undefined) return { waitedMs: 0, busyShare: undefined };
  let calm = 0;
  let busyShare: number | undefined;
  while (calm < calmSeconds && now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const current = cpuJiffies();
    if (current === undefined) break;
    busyShare = (current.busy - previous.busy) / Math.max(1, current.total - previous.total);
    previous = current;
    calm = busyShare <= maxBusy ? calm + 1 : 0;
  }
  return { waitedMs: Math.round(now() - started), busyShare: busyShare === undefined ? undefined : Math.round(busyShare * 1000) / 1000 };
}
