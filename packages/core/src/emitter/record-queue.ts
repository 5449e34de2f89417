import type { PendingRecord } from './pending-record.js';

/**
 * Records waiting to be sent, in emit order, with their total key and value bytes. Batches are taken
 * from the front, bounded by a record count and a byte budget (a single larger record goes alone).
 */
export class RecordQueue {
  private records: PendingRecord[] = [];
  private totalBytes = 0;

  get length(): number {
    return this.records.length;
  }

  /** Key and value bytes of the queued records. */
  get bytes(): number {
    return this.totalBytes;
  }

  push(record: PendingRecord): void {
    this.records.push(record);
    this.totalBytes += record.size;
  }

  /** Whether the queue holds a full batch. */
  isFull(maxRecords: number, maxBytes: number): boolean {
    return this.records.length >= maxRecords || this.totalBytes >= maxBytes;
  }

  /** Removes and returns the oldest records: at most `maxRecords`, at most `maxBytes` unless one record alone is larger. */
  take(maxRecords: number, maxBytes: number): PendingRecord[] {
    const records = this.records;
    if (records.length <= maxRecords && this.totalBytes <= maxBytes) {
      this.records = [];
      this.totalBytes = 0;
      return records;
    }
    let count = 0;
    let bytes = 0;
    while (count < records.length && count < maxRecords) {
      const size = (records[count] as PendingRecord).size;
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count++;
    }
    this.totalBytes -= bytes;
    return records.splice(0, count);
  }

  /** The oldest record, if any. */
  first(): PendingRecord | undefined {
    return this.records[0];
  }

  /** Puts records taken earlier (and not sent) back in front, in their order. */
  putBack(records: readonly PendingRecord[]): void {
    if (records.length === 0) return;
    this.records = records.concat(this.records);
    for (const record of records) this.totalBytes += record.size;
  }

  /**
   * Removes and returns the records emitted at or before `emittedBy` (`performance.now()` time). Records
   * are kept in emit order, so those are a prefix of the queue.
   */
  takeEmittedBy(emittedBy: number): PendingRecord[] {
    let count = 0;
    let bytes = 0;
    for (const record of this.records) {
      if (record.emittedAt > emittedBy) break;
      bytes += record.size;
      count++;
    }
    if (count === 0) return [];
    this.totalBytes -= bytes;
    return this.records.splice(0, count);
  }

  /** Rejects and removes every queued record. */
  rejectAll(error: unknown): void {
    const records = this.take(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    for (const record of records) record.reject(error);
  }
}
