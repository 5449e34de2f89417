import type { PartitionProcessorStats, ProcessorStats } from '@goka/core';
import type {
  MonitorPartitionInput,
  MonitorPartitionState,
  MonitorProcessorPartition,
  MonitorSample,
  MonitorTopicTraffic,
} from '../interfaces/monitor-api.interface.js';
import {
  countStates,
  increase,
  monitorRecovery,
  partitionLag,
  perSecond,
  pushBounded,
  StallWatch,
  sumDefined,
} from '../services/monitor-derive.util.js';
import { ViewTracker } from './view-tracker.class.js';

/** A processor at one sample, with what the monitor derived from it. */
export interface ProcessorSnapshot {
  readonly t: number;
  readonly stats: ProcessorStats;
  readonly partitions: readonly MonitorProcessorPartition[];
  readonly counts: Readonly<Partial<Record<MonitorPartitionState, number>>>;
  /** Per consumed topic (inputs and loop): totals since the monitor started sampling, rates, summed lag. */
  readonly inputs: readonly MonitorTopicTraffic[];
  /** Per written topic except the group table. */
  readonly outputs: readonly MonitorTopicTraffic[];
  /** Group-table records written (active partitions) since the monitor started sampling. */
  readonly tableWrites: number;
  readonly tableBytes: number;
  /** Mean commit latency over the last sample (the last commit's when none happened in it), ms. */
  readonly commitLatencyMs: number | undefined;
}

/** What the tracker knows of the processor's group graph. */
export interface ProcessorTopics {
  /** The group table topic (`undefined` for a stateless group). */
  readonly table: string | undefined;
  /** Output topics (and the loop), listed even before anything was written. */
  readonly outputs: readonly string[];
}

interface Counts {
  count: number;
  bytes: number;
}

interface PartitionMemory {
  readonly input: ReadonlyMap<string, Counts>;
  readonly output: ReadonlyMap<string, Counts>;
  readonly tableRecords: number;
  readonly done: number;
  /** The smoothed recovery rate. */
  readonly rate: number | undefined;
}

/** Keeps the history of one processor's stats and derives rates, recovery, stalls and totals from it. */
export class ProcessorTracker {
  readonly #series: MonitorSample[] = [];
  readonly #stalls: StallWatch;
  readonly #lookups = new Map<string, ViewTracker>();
  readonly #inputTotals = new Map<string, Counts>();
  readonly #outputTotals = new Map<string, Counts>();
  #tableTotals: Counts = { count: 0, bytes: 0 };
  #previous = new Map<string, PartitionMemory>();
  #last: ProcessorSnapshot | undefined;
  /** The monotonic time of the last sample, for intervals. */
  #lastMonotonic = 0;

  constructor(
    private readonly topics: ProcessorTopics,
    private readonly historySize: number,
    private readonly stalledAfterMs: number,
  ) {
    this.#stalls = new StallWatch(stalledAfterMs);
  }

  /** The last sample, `undefined` before the first. */
  get latest(): ProcessorSnapshot | undefined {
    return this.#last;
  }

  /** Chart points, oldest first. */
  get series(): readonly MonitorSample[] {
    return this.#series;
  }

  /** The trackers of the lookup views, by table. */
  get lookups(): ReadonlyMap<string, ViewTracker> {
    return this.#lookups;
  }

  /**
   * Adds the stats read at `t` (epoch ms, shown) and `monotonicMs` (e.g. `performance.now()`, the
   * interval since the previous sample is measured on it).
   */
  update(t: number, stats: ProcessorStats, monotonicMs = t): ProcessorSnapshot {
    const last = this.#last;
    const dtMs = last === undefined ? undefined : monotonicMs - this.#lastMonotonic;
    this.#lastMonotonic = monotonicMs;
    const inputDeltas = new Map<string, Counts>();
    const outputDeltas = new Map<string, Counts>();
    const tableDelta: Counts = { count: 0, bytes: 0 };
    const next = new Map<string, PartitionMemory>();
    let recoveryRate: number | undefined;
    const partitions = stats.partitions.map((partition): MonitorProcessorPartition => {
      const key = `${partition.mode}:${partition.partition}`;
      const before = this.#previous.get(key);
      const input = grow(partition.input, before?.input, inputDeltas);
      const written = new Map<string, Counts>();
      let tableRecords = 0;
      for (const [topic, counts] of Object.entries(partition.output)) {
        const grown = { count: increase(before?.output.get(topic)?.count, counts.count), bytes: increase(before?.output.get(topic)?.bytes, counts.bytes) };
        written.set(topic, { count: counts.count, bytes: counts.bytes });
        if (topic === this.topics.table) {
          tableDelta.count += grown.count;
          tableDelta.bytes += grown.bytes;
          tableRecords += grown.count;
        } else {
          add(outputDeltas, topic, grown);
        }
      }
      if (partition.table !== undefined && partition.mode === 'standby') {
        tableRecords += increase(before?.tableRecords, partition.table.records);
      }
      const recovery =
        partition.recovery === undefined ? undefined : monitorRecovery(partition.recovery, partition.table, before?.done, dtMs, before?.rate);
      if (recovery?.rate !== undefined) recoveryRate = (recoveryRate ?? 0) + recovery.rate;
      next.set(key, {
        input: new Map(Object.entries(partition.input).map(([topic, s]) => [topic, { count: s.count, bytes: s.bytes }])),
        output: written,
        tableRecords: partition.table?.records ?? 0,
        done: recovery?.done ?? 0,
        rate: recovery?.rate,
      });
      const inputs = Object.entries(partition.input).map(
        ([topic, s]): MonitorPartitionInput => ({
          topic,
          offset: s.lastOffset,
          hwm: s.hwm,
          lag: s.lag,
          committed: s.committed,
          rate: before === undefined ? undefined : perSecond(input.get(topic)?.count, dtMs),
        }),
      );
      const state = this.#state(key, partition, recovery?.done ?? 0, recovery === undefined || recovery.total === undefined ? undefined : recovery.total - recovery.done, t);
      return {
        partition: partition.partition,
        mode: partition.mode,
        state,
        recovery,
        inputs,
        tableRate:
          (this.topics.table === undefined && partition.mode === 'active') || (before === undefined && last !== undefined)
            ? undefined
            : perSecond(tableRecords, dtMs),
      };
    });
    this.#stalls.retain(new Set(next.keys()));
    this.#previous = next;
    accumulate(this.#inputTotals, inputDeltas);
    accumulate(this.#outputTotals, outputDeltas);
    this.#tableTotals = { count: this.#tableTotals.count + tableDelta.count, bytes: this.#tableTotals.bytes + tableDelta.bytes };
    for (const [table, viewStats] of Object.entries(stats.lookups)) {
      let tracker = this.#lookups.get(table);
      if (tracker === undefined) {
        tracker = new ViewTracker(this.historySize, this.stalledAfterMs);
        this.#lookups.set(table, tracker);
      }
      tracker.update(t, viewStats, monotonicMs);
    }
    const lagByTopic = new Map<string, number | undefined>();
    for (const partition of stats.partitions) {
      for (const [topic, s] of Object.entries(partition.input)) lagByTopic.set(topic, sumDefined([lagByTopic.get(topic), s.lag]));
    }
    const inputs = traffic(this.#inputTotals, inputDeltas, [...lagByTopic.keys()], dtMs, lagByTopic);
    const outputs = traffic(this.#outputTotals, outputDeltas, this.topics.outputs, dtMs);
    const commitCount = last === undefined ? 0 : stats.commits.count - last.stats.commits.count;
    const commitLatencyMs =
      commitCount > 0 && last !== undefined
        ? (stats.commits.totalLatencyMs - last.stats.commits.totalLatencyMs) / commitCount
        : stats.commits.lastLatencyMs;
    const snapshot: ProcessorSnapshot = {
      t,
      stats,
      partitions,
      counts: countStates(partitions.map((partition) => partition.state)),
      inputs,
      outputs,
      tableWrites: this.#tableTotals.count,
      tableBytes: this.#tableTotals.bytes,
      commitLatencyMs,
    };
    if (dtMs !== undefined) {
      pushBounded(
        this.#series,
        {
          t,
          inputRate: sumDefined(inputs.map((topic) => topic.rate)),
          outputRate: sumDefined(outputs.map((topic) => topic.rate)),
          tableRate: this.topics.table === undefined ? undefined : perSecond(tableDelta.count, dtMs),
          recoveryRate,
          lag: sumDefined(inputs.map((topic) => topic.lag)),
          ...lagByPartition(stats.partitions),
        },
        this.historySize,
      );
    }
    this.#last = snapshot;
    return snapshot;
  }

  /** The partition's monitor state: its core state, `standby`, or `stalled`. */
  #state(key: string, partition: PartitionProcessorStats, recovered: number, recoveryLeft: number | undefined, t: number): MonitorPartitionState {
    let state: MonitorPartitionState;
    if (partition.mode === 'standby') state = partition.state === 'running' ? 'standby' : 'recovering';
    else state = partition.state;
    const inputs = Object.values(partition.input);
    const position =
      inputs.reduce((sum, s) => sum + s.lastOffset, 0) + recovered + (partition.mode === 'standby' ? (partition.table?.offset ?? -1) : 0);
    // An active partition's recovery progress is visible only when the core reports its table
    // stats; without them a recovery that makes progress must not look stalled.
    let lag: number | undefined;
    if (partition.mode === 'standby') lag = partition.table?.lag;
    else if (partition.state === 'recovering') lag = partition.table === undefined ? undefined : recoveryLeft;
    else lag = sumDefined(inputs.map((s) => s.lag));
    const hwm = partition.mode === 'standby' ? partition.table?.hwm : sumDefined(inputs.map((s) => s.hwm));
    const stalled = this.#stalls.stalled(key, position, lag, t, hwm);
    return stalled && (state === 'running' || state === 'recovering' || state === 'standby') ? 'stalled' : state;
  }
}

/** Increases of one partition's per-topic counters, added into `deltas`; returns them by topic. */
function grow(
  current: Readonly<Record<string, { readonly count: number; readonly bytes: number }>>,
  previous: ReadonlyMap<string, Counts> | undefined,
  deltas: Map<string, Counts>,
): Map<string, Counts> {
  const grown = new Map<string, Counts>();
  for (const [topic, counts] of Object.entries(current)) {
    const delta = { count: increase(previous?.get(topic)?.count, counts.count), bytes: increase(previous?.get(topic)?.bytes, counts.bytes) };
    grown.set(topic, delta);
    add(deltas, topic, delta);
  }
  return grown;
}

function add(into: Map<string, Counts>, topic: string, delta: Counts): void {
  const counts = into.get(topic) ?? { count: 0, bytes: 0 };
  into.set(topic, { count: counts.count + delta.count, bytes: counts.bytes + delta.bytes });
}

function accumulate(totals: Map<string, Counts>, deltas: ReadonlyMap<string, Counts>): void {
  for (const [topic, delta] of deltas) add(totals, topic, delta);
}

/** Traffic per topic: `listed` topics first (even without traffic), then any other with totals. */
function traffic(
  totals: ReadonlyMap<string, Counts>,
  deltas: ReadonlyMap<string, Counts>,
  listed: readonly string[],
  dtMs: number | undefined,
  lags?: ReadonlyMap<string, number | undefined>,
): MonitorTopicTraffic[] {
  const topics = [...new Set([...listed, ...totals.keys()])];
  return topics.map((topic): MonitorTopicTraffic => {
    const total = totals.get(topic) ?? { count: 0, bytes: 0 };
    const delta = deltas.get(topic) ?? { count: 0, bytes: 0 };
    const entry = {
      topic,
      count: total.count,
      bytes: total.bytes,
      rate: perSecond(delta.count, dtMs),
      bytesRate: perSecond(delta.bytes, dtMs),
    };
    return lags === undefined ? entry : { ...entry, lag: lags.get(topic) };
  });
}

/** `{ partitionLag }` of the active partitions (input lags summed), or nothing when none is known. */
function lagByPartition(partitions: readonly PartitionProcessorStats[]): { partitionLag?: Record<string, number> } {
  const lags = partitionLag(
    partitions
      .filter((partition) => partition.mode === 'active')
      .map((partition) => ({ partition: partition.partition, lag: sumDefined(Object.values(partition.input).map((s) => s.lag)) })),
  );
  return lags === undefined ? {} : { partitionLag: lags };
}
