import type { PartitionState } from './partition-state.js';

/** The first recovery of a partition table (Goka's `TableStats.Recovery`). */
export interface RecoveryStats {
  /** When the recovery started (ms since the epoch), `undefined` before. */
  readonly startTime: number | undefined;
  /** When the partition first reached `running`, `undefined` before. */
  readonly endTime: number | undefined;
  /** The stored offset found when the recovery started (`undefined`: nothing stored). */
  readonly storedOffset: number | undefined;
  /** The first offset the recovery read. */
  readonly startOffset: number | undefined;
  /** The high-water mark the recovery read up to. */
  readonly hwm: number | undefined;
}

/** A snapshot of a partition table's progress, for monitoring (Goka's `TableStats`). */
export interface PartitionTableStats {
  readonly topic: string;
  readonly partition: number;
  readonly state: PartitionState;
  /** The last applied table offset (what the storage holds), `undefined` when none. */
  readonly offset: number | undefined;
  /** The latest high-water mark seen (from the offsets request or the last fetch). */
  readonly hwm: number | undefined;
  /** Records behind the high-water mark (`hwm - offset - 1`, at least 0); compaction gaps count. */
  readonly lag: number | undefined;
  /** Records applied since the table was created (recovery and catch-up). */
  readonly records: number;
  /** Key plus value bytes of those records. */
  readonly bytes: number;
  /** Storage batches written. */
  readonly writes: number;
  /** When the last record was applied (ms since the epoch). */
  readonly lastRecordAt: number | undefined;
  /** The timestamp of the last applied record. */
  readonly lastRecordTimestamp: number | undefined;
  readonly recovery: RecoveryStats;
}

/** Mutable counters behind {@link PartitionTableStats}; the table updates them once per batch. */
export class PartitionTableCounters {
  offset: number | undefined;
  hwm: number | undefined;
  records = 0;
  bytes = 0;
  writes = 0;
  lastRecordAt: number | undefined;
  lastRecordTimestamp: number | undefined;
  recovery: RecoveryStats = {
    startTime: undefined,
    endTime: undefined,
    storedOffset: undefined,
    startOffset: undefined,
    hwm: undefined,
  };

  /** Counts one applied batch. */
  applied(count: number, bytes: number, lastOffset: number, lastTimestamp: number): void {
    this.records += count;
    this.bytes += bytes;
    this.writes += 1;
    this.offset = lastOffset;
    this.lastRecordAt = Date.now();
    this.lastRecordTimestamp = lastTimestamp;
  }

  snapshot(topic: string, partition: number, state: PartitionState): PartitionTableStats {
    const { offset, hwm } = this;
    const lag = hwm === undefined ? undefined : Math.max(0, hwm - (offset ?? -1) - 1);
    return {
      topic,
      partition,
      state,
      offset,
      hwm,
      lag,
      records: this.records,
      bytes: this.bytes,
      writes: this.writes,
      lastRecordAt: this.lastRecordAt,
      lastRecordTimestamp: this.lastRecordTimestamp,
      recovery: { ...this.recovery },
    };
  }
}
