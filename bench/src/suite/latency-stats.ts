import { BUSY_PRESSURE } from './latency-model.js';
import type { LatencyPath, LatencyStats } from './latency-model.js';

/** Percentiles of `seenAt - sentAt` over the indexes from `from`; a zero `seenAt` counts as missing. */
export function stats(sentAt: Float64Array, seenAt: Float64Array, from: number): LatencyStats {
  const values: number[] = [];
  let missing = 0;
  for (let i = from; i < sentAt.length; i++) {
    const seen = seenAt[i] ?? 0;
    if (seen === 0) missing++;
    else values.push(seen - (sentAt[i] ?? 0));
  }
  values.sort((a, b) => a - b);
  const at = (q: number): number => values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))] ?? Number.NaN;
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    samples: values.length,
    missing,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(values.at(-1) ?? Number.NaN),
    mean: round(values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length)),
  };
}

/** `[ms since the measured window started, CPU stall µs total]`, every 100 ms of the window. */
export type PressureTimeline = Array<[number, number]>;

/** CPU pressure share of each whole second of the window (from the 100 ms samples). */
function pressurePerSecond(timeline: PressureTimeline): number[] {
  const shares: number[] = [];
  for (let second = 0; ; second++) {
    const points = timeline.filter(([ms]) => ms >= second * 1000 && ms < (second + 1) * 1000);
    const first = points[0];
    const last = points.at(-1);
    if (first === undefined || last === undefined) return shares;
    shares.push(last[0] > first[0] ? (last[1] - first[1]) / 1000 / (last[0] - first[0]) : 0);
  }
}

/**
 * End-to-end latency of the messages sent in calm seconds and in busy seconds (CPU pressure at least
 * {@link BUSY_PRESSURE}), and each second's p99 and pressure: shows whether the tail follows the machine's load.
 */
export function byPressure(
  sentAt: Float64Array,
  seenAt: Float64Array,
  from: number,
  measuredFrom: number,
  timeline: PressureTimeline,
): LatencyPath['byPressure'] {
  const shares = pressurePerSecond(timeline);
  const calm: number[] = [];
  const busy: number[] = [];
  const perSecond: Array<number[]> = shares.map(() => []);
  for (let i = from; i < sentAt.length; i++) {
    const second = Math.floor(((sentAt[i] ?? 0) - measuredFrom) / 1000);
    const share = shares[second];
    const seen = seenAt[i] ?? 0;
    if (share === undefined || seen === 0) continue;
    const latency = seen - (sentAt[i] ?? 0);
    (share >= BUSY_PRESSURE ? busy : calm).push(latency);
    perSecond[second]?.push(latency);
  }
  const summary = (values: number[]): { samples: number; p99: number; max: number } => {
    values.sort((a, b) => a - b);
    const at = (q: number): number => values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))] ?? Number.NaN;
    return { samples: values.length, p99: Math.round(at(0.99) * 100) / 100, max: Math.round((values.at(-1) ?? Number.NaN) * 100) / 100 };
  };
  return {
    calm: { seconds: shares.filter((share) => share < BUSY_PRESSURE).length, ...summary(calm) },
    busy: { seconds: shares.filter((share) => share >= BUSY_PRESSURE).length, ...summary(busy) },
    perSecond: shares.map((share, second) => ({ second, cpuPressure: Math.round(share * 100) / 100, ...summary(perSecond[second] ?? []) })),
  };
}
