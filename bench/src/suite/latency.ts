import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { codecs, Emitter, silentLogger, tableName, View } from '@goka/core';
import type { UpdateCallback } from '@goka/core';
import { KafkajsAdapter } from '@goka/kafkajs';
import { rocksDbStorageFactory } from '@goka/storage-rocksdb';
import kafkajs from 'kafkajs';
import { createTopic, kafkajsAdmin } from '../pipeline/phases.js';
import { valueFactory } from '../support/fill.js';
import { mib, now, withTimeout } from '../support/measure.js';
import { cpuPressure, cpuStallMicros } from '../support/pressure.js';
import { WorkerProcess } from '../support/worker.js';

export interface LatencySpec {
  readonly brokers: readonly string[];
  readonly partitions: number;
  /** Messages per second. */
  readonly rate: number;
  /** Seconds measured (after the warm-up). */
  readonly seconds: number;
  /** Seconds emitted before measuring (not in the statistics). */
  readonly warmupSeconds: number;
  readonly valueBytes: number;
  readonly storageRoot: string;
  /** Exactly-once paths: one per commit interval of the processor, ms (empty: none). */
  readonly eosCommitIntervalsMs?: readonly number[] | undefined;
  readonly log: (line: string) => void;
}

/** Percentiles of one latency series, ms. */
export interface LatencyStats {
  readonly samples: number;
  /** Messages that never arrived within the grace period after the last emit. */
  readonly missing: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LatencyPath {
  readonly label: string;
  /** Send call → value visible to the reader (ours: in the View's storage; raw: in the sink consumer). */
  readonly endToEnd: LatencyStats;
  /** Send call → the producer's acknowledgement (ours: `emit` resolved; raw: `send` resolved). */
  readonly ack: LatencyStats;
  /** Messages actually sent per second during the measured window. */
  readonly achievedRate: number;
  /**
   * The two hops, from record timestamps (epoch ms, so ±1 ms): send → the middle process produced the
   * second record (its CreateTime), and that → visible. `undefined` where the timestamps are not known.
   */
  readonly hops: { readonly first: LatencyStats; readonly second: LatencyStats } | undefined;
  /**
   * Noise during the measured window: the share of time some task waited for a CPU (Linux PSI), and
   * the event-loop delay of this (mostly idle) bench process, p50 / p99 / max ms (sampled every 1 ms; the
   * values include that 1 ms).
   */
  readonly noise: { readonly cpuPressure: number | undefined; readonly loopDelay: { readonly p50: number; readonly p99: number; readonly max: number } };
  /**
   * The tail against the machine's load: messages sent in calm seconds vs busy seconds (CPU pressure
   * ≥ {@link BUSY_PRESSURE}), and every second's pressure, p99 and max.
   */
  readonly byPressure: {
    readonly calm: { readonly seconds: number; readonly samples: number; readonly p99: number; readonly max: number };
    readonly busy: { readonly seconds: number; readonly samples: number; readonly p99: number; readonly max: number };
    readonly perSecond: ReadonlyArray<{ readonly second: number; readonly cpuPressure: number; readonly samples: number; readonly p99: number; readonly max: number }>;
  };
  /** Peak RSS of the middle process (processor / relay), MiB. */
  readonly peakRssMiB: number;
  readonly cpuMs: number;
}

/** Ours with an exactly-once processor (outputs visible at its commit) at one commit interval. */
export interface ExactlyOnceLatency extends LatencyPath {
  readonly commitIntervalMs: number;
  /** The processor's transactions during the path (committed, aborted, summed commit time). */
  readonly transactions: { readonly committed: number; readonly aborted: number; readonly totalCommitMs: number } | undefined;
}

export interface LatencyResult {
  readonly ours: LatencyPath;
  /** The same path with the processor in exactly-once mode, one per commit interval (older results: absent). */
  readonly exactlyOnce?: readonly ExactlyOnceLatency[];
  readonly raw: LatencyPath;
}

/** Time to wait for the last messages after the last send. */
const GRACE_MS = 15_000;

function stats(sentAt: Float64Array, seenAt: Float64Array, from: number): LatencyStats {
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

type Noise = LatencyPath['noise'];

/** `[ms since the measured window started, CPU stall µs total]`, every 100 ms of the window. */
type PressureTimeline = Array<[number, number]>;

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

/** The share of time some task waited for a CPU above which a second of the window counts as busy. */
export const BUSY_PRESSURE = 0.75;

/**
 * End-to-end latency of the messages sent in calm seconds and in busy seconds (CPU pressure at least
 * {@link BUSY_PRESSURE}), and each second's p99 and pressure: shows whether the tail follows the machine's load.
 */
function byPressure(
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
class LatencyTimes {
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
      noise,
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

/**
 * Ours: Emitter (this process) → input topic → counting Processor (child process, RocksDB) → group
 * table → View (this process, RocksDB). A message is visible when the View's update callback has put
 * its key into the View's storage (a hook, no polling); each message has its own key (count 1).
 *
 * With `exactlyOnce` the processor runs with `guarantee: 'exactly-once'` and that commit interval; the
 * View reads `read_committed` (its default, set explicitly here), so a table write becomes visible only
 * once the processor's transaction committed — what any read_committed reader of the output sees.
 */
async function ours(spec: LatencySpec, exactlyOnce?: { readonly commitIntervalMs: number }): Promise<ExactlyOnceLatency> {
  const group = `bench-latency-${exactlyOnce === undefined ? '' : 'eos-'}${randomUUID().slice(0, 8)}`;
  const topic = `${group}-input`;
  await createTopic(spec.brokers, topic, spec.partitions);
  const times = new LatencyTimes(spec);
  const worker = await WorkerProcess.spawn(
    {
      mode: 'count',
      brokers: spec.brokers,
      topic,
      group,
      storagePath: join(spec.storageRoot, `${group}-processor`),
      commitIntervalMs: exactlyOnce?.commitIntervalMs ?? 200,
      ...(exactlyOnce === undefined ? {} : { guarantee: 'exactly-once' as const }),
      fetchPartitionBytes: undefined,
      clientId: 'bench-latency-processor',
    },
    group,
  );
  const updateCallback: UpdateCallback = async (context, storage, key, value) => {
    if (value === null) await storage.delete(key);
    else await storage.set(key, value);
    times.seen(key, context.timestamp);
  };
  const view = new View(tableName(group), codecs.int64, {
    brokers: [...spec.brokers],
    clientId: 'bench-latency-view',
    logger: silentLogger,
    storage: rocksDbStorageFactory({ path: join(spec.storageRoot, `${group}-view`) }),
    updateCallback,
    isolationLevel: 'read_committed',
  });
  const emitter = new Emitter(topic, codecs.bytes, {
    kafka: new KafkajsAdapter({ brokers: spec.brokers, clientId: 'bench-latency-emitter', logger: silentLogger }),
    logger: silentLogger,
  });
  let viewRun: Promise<void> | undefined;
  try {
    await withTimeout('the latency processor', 120_000, worker.start());
    viewRun = view.run();
    viewRun.catch(() => undefined);
    await withTimeout('the latency view', 120_000, view.waitRunning());
    await emitter.start();
    const { path, stopped } = await times.measureWith(
      spec,
      exactlyOnce === undefined
        ? 'ours: Emitter → Processor (child) → View'
        : `ours, exactly-once (commit ${exactlyOnce.commitIntervalMs} ms): Emitter → Processor (child) → View (read_committed)`,
      exactlyOnce === undefined ? 'ours' : `ours-eos-${exactlyOnce.commitIntervalMs}`,
      (key, value) => emitter.emit(key, value),
      () => worker.stop(),
    );
    return { ...path, commitIntervalMs: exactlyOnce?.commitIntervalMs ?? 200, transactions: stopped.transactions };
  } finally {
    worker.kill();
    await emitter.finish().catch(() => undefined);
    await view.stop();
    await viewRun?.catch(() => undefined);
    const admin = kafkajsAdmin(spec.brokers, 'bench-latency-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, tableName(group)] }).catch(() => undefined);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The reference: kafkajs producer (this process, one `send` per message) → input topic → raw kafkajs
 * relay (child process: eachBatch, sendBatch, commit) → output topic → kafkajs consumer (this process,
 * eachBatch). The same two hops through the broker as ours, with the plain client.
 */
async function raw(spec: LatencySpec): Promise<LatencyPath> {
  const name = `bench-latency-raw-${randomUUID().slice(0, 8)}`;
  const topic = `${name}-input`;
  const output = `${name}-output`;
  await createTopic(spec.brokers, topic, spec.partitions);
  await createTopic(spec.brokers, output, spec.partitions);
  const times = new LatencyTimes(spec);
  const worker = await WorkerProcess.spawn({ mode: 'relay', brokers: spec.brokers, topic, output, group: `${name}-relay`, sendRecords: 2000, concurrency: spec.partitions }, `${name} relay`);
  const kafka = new kafkajs.Kafka({ clientId: 'bench-latency-raw', brokers: [...spec.brokers], logLevel: kafkajs.logLevel.ERROR });
  const producer = kafka.producer();
  const sink = kafka.consumer({ groupId: `${name}-sink` });
  let joined!: () => void;
  const sinkJoined = new Promise<void>((resolve) => {
    joined = resolve;
  });
  sink.on(sink.events.GROUP_JOIN, () => joined());
  try {
    await withTimeout('the latency relay', 120_000, worker.start());
    await Promise.all([producer.connect(), sink.connect()]);
    await sink.subscribe({ topic: output, fromBeginning: true });
    await sink.run({
      autoCommit: false,
      partitionsConsumedConcurrently: spec.partitions,
      eachBatch: async ({ batch }) => {
        const at = now();
        const epoch = Date.now();
        for (const message of batch.messages) times.seen(message.key?.toString('latin1') ?? '', Number(message.timestamp), at, epoch);
      },
    });
    await withTimeout('the latency sink', 60_000, sinkJoined);
    return await times.measure(
      spec,
      'raw kafkajs: producer → relay (child) → consumer',
      'raw',
      (key, value) => producer.send({ topic, messages: [{ key, value }] }),
      () => worker.stop(),
    );
  } finally {
    worker.kill();
    await Promise.allSettled([producer.disconnect(), sink.disconnect()]);
    const admin = kafkajsAdmin(spec.brokers, 'bench-latency-cleanup');
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, output] }).catch(() => undefined);
    await admin.deleteGroups([`${name}-relay`, `${name}-sink`]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** (4) Latency at a fixed rate: ours, ours exactly-once (per commit interval), then the raw kafkajs reference, on the same broker. */
export async function latencySuite(spec: LatencySpec): Promise<LatencyResult> {
  const { commitIntervalMs: _interval, transactions: _none, ...oursResult } = await ours(spec);
  spec.log(`  ours: p50 ${oursResult.endToEnd.p50} ms, p99 ${oursResult.endToEnd.p99} ms, max ${oursResult.endToEnd.max} ms`);
  const exactlyOnce: ExactlyOnceLatency[] = [];
  for (const commitIntervalMs of spec.eosCommitIntervalsMs ?? []) {
    const result = await ours(spec, { commitIntervalMs });
    spec.log(`  ours, exactly-once (commit ${commitIntervalMs} ms): p50 ${result.endToEnd.p50} ms, p99 ${result.endToEnd.p99} ms, max ${result.endToEnd.max} ms`);
    exactlyOnce.push(result);
  }
  const rawResult = await raw(spec);
  spec.log(`  raw:  p50 ${rawResult.endToEnd.p50} ms, p99 ${rawResult.endToEnd.p99} ms, max ${rawResult.endToEnd.max} ms`);
  return { ours: oursResult, exactlyOnce, raw: rawResult };
}
