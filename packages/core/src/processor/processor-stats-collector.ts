import { processorStatsNoHighWatermarks } from './processor.messages.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { PartitionTable } from '../table/partition-table.js';
import type { PartitionTableStats } from '../table/partition-table-stats.js';
import type { GokaLogger } from '../util/logger.js';
import type { PartitionCounters, PolicyOutcome } from './partition-counters.js';
import type { PartitionInputStats, PartitionProcessorState, PartitionProcessorStats, ProcessorCommitStats } from './processor-stats.js';

/** What the stats read of an active partition's worker. */
export interface ActivePartition {
  readonly partition: number;
  readonly state: PartitionProcessorState;
  readonly counters: PartitionCounters;
  committed(topic: string): number | undefined;
}

/** How long {@link ProcessorStatsCollector.refreshHighWatermarks} waits for Kafka before it keeps the last known marks. */
const STATS_HWM_TIMEOUT_MS = 5_000;

/**
 * A processor's statistics bookkeeping: the counters of commits, callback errors and error-policy
 * outcomes since the processor was created, the last known high-water mark of each consumed
 * partition, and the per-partition stats built from them.
 */
export class ProcessorStatsCollector {
  /** Callbacks that threw since the processor was created. */
  callbackErrors = 0;
  /** What the error policies did since the processor was created. */
  readonly policy: Record<PolicyOutcome, number> = { retried: 0, skipped: 0, deadLettered: 0 };
  /** Offset commits since the processor was created. */
  private readonly commitStats: { count: number; failed: number; totalLatencyMs: number; lastLatencyMs: number | undefined } = {
    count: 0,
    failed: 0,
    totalLatencyMs: 0,
    lastLatencyMs: undefined,
  };
  /** The last high-water mark known per `topic/partition`. */
  private readonly hwms = new Map<string, number>();
  /** When each of {@link hwms} was received (`performance.now()`), for `stats({ maxHighWatermarkAgeMs })`. */
  private readonly hwmsAt = new Map<string, number>();

  constructor(
    private readonly group: string,
    private readonly logger: GokaLogger,
  ) {}

  /** A commit that Kafka accepted after `latencyMs`. */
  commitSucceeded(latencyMs: number): void {
    this.commitStats.count += 1;
    this.commitStats.totalLatencyMs += latencyMs;
    this.commitStats.lastLatencyMs = latencyMs;
  }

  commitFailed(): void {
    this.commitStats.failed += 1;
  }

  commits(): ProcessorCommitStats {
    return { ...this.commitStats };
  }

  /**
   * Asks Kafka (`admin`, while running) for the high-water marks of `partitions` of `topics` unless
   * all are younger than `maxAgeMs`; keeps the last known ones on failure or after 5 s.
   */
  async refreshHighWatermarks(
    admin: KafkaAdmin | undefined,
    topics: readonly string[],
    partitions: readonly number[],
    maxAgeMs: number,
  ): Promise<void> {
    if (admin === undefined || partitions.length === 0) return;
    const now = performance.now();
    const fresh = (key: string): boolean => now - (this.hwmsAt.get(key) ?? -Infinity) < maxAgeMs;
    if (maxAgeMs > 0 && topics.every((topic) => partitions.every((partition) => fresh(`${topic}/${partition}`)))) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STATS_HWM_TIMEOUT_MS);
    });
    const asking = Promise.all(
      topics.map(async (topic) => {
        const offsets = await admin.offsets(topic, partitions);
        const at = performance.now();
        offsets.forEach(({ hwm }, index) => {
          const key = `${topic}/${partitions[index] ?? -1}`;
          this.hwms.set(key, hwm);
          this.hwmsAt.set(key, at);
        });
      }),
    ).catch((error: unknown) => {
      this.logger.debug(processorStatsNoHighWatermarks(this.group, error instanceof Error ? error.message : String(error)));
    });
    try {
      await Promise.race([asking, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The stats of an active partition: its consumed `topics` against the known marks, its outputs, its table. */
  activePartition(
    worker: ActivePartition,
    topics: readonly string[],
    table: PartitionTableStats | undefined,
    stateful: boolean,
  ): PartitionProcessorStats {
    const input: Record<string, PartitionInputStats> = {};
    for (const topic of topics) {
      const consumed = worker.counters.input.get(topic);
      const lastOffset = consumed?.lastOffset ?? -1;
      const committed = worker.committed(topic);
      const next = lastOffset >= 0 ? lastOffset + 1 : committed;
      // A mark older than what was consumed since (see maxHighWatermarkAgeMs) is at least `next`.
      const known = this.hwms.get(`${topic}/${worker.partition}`);
      const hwm = known === undefined || next === undefined ? known : Math.max(known, next);
      const lag = hwm === undefined || next === undefined ? undefined : Math.max(0, hwm - next);
      input[topic] = { count: consumed?.count ?? 0, bytes: consumed?.bytes ?? 0, lastOffset, committed, hwm, lag };
    }
    return {
      partition: worker.partition,
      mode: 'active',
      state: worker.state,
      input,
      output: Object.fromEntries([...worker.counters.output].map(([topic, stats]) => [topic, { ...stats }])),
      callbackErrors: worker.counters.callbackErrors,
      errorPolicy: { retried: worker.counters.retried, skipped: worker.counters.skipped, deadLettered: worker.counters.deadLettered },
      recovery: stateful ? table?.recovery : undefined,
      table,
    };
  }
}

/** The stats of a hot-standby copy of a group-table partition. */
export function standbyPartitionStats(table: PartitionTable): PartitionProcessorStats {
  const stats = table.stats();
  return {
    partition: table.partition,
    mode: 'standby',
    state: table.state === 'running' ? 'running' : 'recovering',
    input: {},
    output: {},
    callbackErrors: 0,
    errorPolicy: { retried: 0, skipped: 0, deadLettered: 0 },
    recovery: stats.recovery,
    table: stats,
  };
}
