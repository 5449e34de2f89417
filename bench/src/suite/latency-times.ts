import { mkdir, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { valueFactory } from '../support/fill.js';
import { mib, now } from '../support/measure.js';
import { cpuPressure, cpuStallMicros, settle } from '../support/pressure.js';
import type { LatencyPath, LatencySpec } from './latency-model.js';
import { byPressure, stats } from './latency-stats.js';
import type { PressureTimeline } from './latency-stats.js';

/** Time to wait for the last messages after the last send. */
const GRACE_MS = 15_000;

type Noise = LatencyPath['noise'];

/**
 * Calls `send(i)` for i = 0 … total-1 at `rate` per second (catching up after a late timer, never
 * ahead of schedule); resolves with the time the measured window (from `firstMeasured`) took and the
 * machine's noise during it.
 */
async function atFixedRate(
  total: number,
  rate: number,
  firstMeasured: number,
  send: (i: number) => void,
): Promise<{ windowMs: number; noise: Noise; measuredFrom: number; timeline: PressureTimeline }> {
  const started = now();
  let measuredFrom = started;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let pressure: ReturnType<typeof cpuPressure> | undefined;
  let timeline: NodeJS.Timeout | undefined;
  const pressureTimeline: PressureTimeline = [];
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((now() - started) * rate) / 1000) + 1);
    while (i < due) {
      if (i === firstMeasured) {
        measuredFrom = now();
        pressure = cpuPressure();
        loop.enable();
        const from = measuredFrom;
        pressureTimeline.push([0, cpuStallMicros() ?? 0]);
        timeline = setInterval(() => pressureTimeline.push([Math.round(now() - from), cpuStallMicros() ?? 0]), 100);
      }
      send(i++);
    }
    if (i < total) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  loop.disable();
  clearInterval(timeline);
  const ms = (nanos: number): number => Math.round(nanos / 1e4) / 100;
  return {
    windowMs: now() - measuredFrom,
    measuredFrom,
    timeline: pressureTimeline,
    noise: { cpuPressure: pressure?.stop(), loopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } },
  };
}

/** Resolves when every index from `from` has a nonzero `seenAt`, or after `ms`. */
async function allSeen(seenAt: Float64Array, from: number, ms: number): Promise<void> {
  const until = now() + ms;
  let next = from;
  while (now() < until) {
    while (next < seenAt.length && (seenAt[next] ?? 0) !== 0) next++;
    if (next >= seenAt.length) {
      if (seenAt.subarray(from).every((seen) => seen !== 0)) return;
      next = from;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * With `GOKA_BENCH_LATENCY_DUMP=<dir>`, writes every message's times (`<dir>/latency-<path>.json`) for
 * looking at the tail's structure over time (e.g. periodic stalls); otherwise does nothing.
 */
async function dumpSeries(path: string, series: Readonly<Record<string, Float64Array>>, pressureTimeline: PressureTimeline): Promise<void> {
  const dir = process.env['GOKA_BENCH_LATENCY_DUMP'];
  if (dir === undefined || dir === '') return;
  await mkdir(dir, { recursive: true });
  const plain = {
    ...Object.fromEntries(Object.entries(series).map(([name, values]) => [name, Array.from(values, (v) => Math.round(v * 100) / 100)])),
    pressureTimeline,
  };
  await writeFile(join(dir, `latency-${path}.json`), JSON.stringify(plain));
}

/**
 * The times of one latency path, per message index: monotonic send, acknowledgement and seen times, and
 * wall-clock send, middle-hop (the record timestamp written by the middle process) and seen times.
 */
export class LatencyTimes {
  readonly total: number;
  readonly firstMeasured: number;
  readonly sentAt: Float64Array;
  readonly ackAt: Float64Array;
  readonly seenAt: Float64Array;
  readonly sentEpoch: Float64Array;
  readonly middleEpoch: Float64Array;
  readonly seenEpoch: Float64Array;

  constructor(spec: LatencySpec) {
    this.total = Math.round((spec.warmupSeconds + spec.seconds) * spec.rate);
    this.firstMeasured = Math.round(spec.warmupSeconds * spec.rate);
    this.sentAt = new Float64Array(this.total);
    this.ackAt = new Float64Array(this.total);
    this.seenAt = new Float64Array(this.total);
    this.sentEpoch = new Float64Array(this.total);
    this.middleEpoch = new Float64Array(this.total);
    this.seenEpoch = new Float64Array(this.total);
  }

  /** Records the first sighting of key `l-<i>` at the end of the path, with the middle hop's record timestamp. */
  seen(key: string, middleTimestamp: number, at = now(), epoch = Date.now()): void {
    const i = indexOf(key);
    if (i < 0 || i >= this.total || this.seenAt[i] !== 0) return;
    this.seenAt[i] = at;
    this.seenEpoch[i] = epoch;
    this.middleEpoch[i] = middleTimestamp;
  }

  /**
   * Sends every message at `spec.rate` through `send` (key `l-<i>`), records its send and acknowledgement
   * times, waits until the measured ones were seen and returns the path's result.
   */
  async measure(
    spec: LatencySpec,
    label: string,
    dumpName: string,
    send: (key: string, value: Buffer) => Promise<unknown>,
    stop: () => Promise<{ readonly peakRssKiB: number; readonly cpuMs: number }>,
  ): Promise<LatencyPath> {
    return (await this.measureWith(spec, label, dumpName, send, stop)).path;
  }

  /** {@link measure}, also returning what `stop` answered. */
  async measureWith<S extends { readonly peakRssKiB: number; readonly cpuMs: number }>(
    spec: LatencySpec,
    label: string,
    dumpName: string,
    send: (key: string, value: Buffer) => Promise<unknown>,
    stop: () => Promise<S>,
  ): Promise<{ path: LatencyPath; stopped: S }> {
    const value = valueFactory(spec.valueBytes);
    const values = Array.from({ length: 64 }, (_, i) => value(i));
    const { sentAt, ackAt, seenAt, sentEpoch, middleEpoch, seenEpoch, firstMeasured, total } = this;
    let failed: unknown;
    // The path's processes are up: wait until the broker's background work from earlier phases settled.
    const settled = await settle();
    const { windowMs, noise, measuredFrom, timeline } = await atFixedRate(total, spec.rate, firstMeasured, (i) => {
      sentAt[i] = now();
      sentEpoch[i] = Date.now();
      send(`l-${i}`, values[i % values.length] ?? Buffer.alloc(0)).then(
        () => {
          ackAt[i] = now();
        },
        (error: unknown) => {
          failed ??= error;
        },
      );
    });
    await allSeen(seenAt, firstMeasured, GRACE_MS);
    if (failed !== undefined) throw failed;
    await dumpSeries(dumpName, { sentAt, ackAt, seenAt, sentEpoch, middleEpoch, seenEpoch }, timeline);
    const stopped = await stop();
    const path: LatencyPath = {
      label,
      endToEnd: stats(sentAt, seenAt, firstMeasured),
      ack: stats(sentAt, ackAt, firstMeasured),
      hops: { first: stats(sentEpoch, middleEpoch, firstMeasured), second: stats(middleEpoch, seenEpoch, firstMeasured) },
      achievedRate: ((total - firstMeasured) * 1000) / windowMs,
      noise: { ...noise, settled },
      byPressure: byPressure(sentAt, seenAt, firstMeasured, measuredFrom, timeline),
      peakRssMiB: mib(stopped.peakRssKiB * 1024),
      cpuMs: Math.round(stopped.cpuMs),
    };
    return { path, stopped };
  }
}

/** Index of a key `l-<i>`. */
function indexOf(key: string): number {
  return Number(key.slice(2));
}

