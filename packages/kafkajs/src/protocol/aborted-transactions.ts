/**
 * read_committed on the consumer side (KIP-98), as Kafka's Java consumer does it: a Fetch with
 * isolation level 1 answers, per partition, the aborted transactions that overlap the returned records
 * (producer id and first offset) and stops at the last stable offset. Walking the record batches in
 * offset order, a transaction becomes *aborted* for its producer once a batch reaches its first
 * offset, and stays so until that producer's ABORT marker (a control batch); transactional batches of
 * a producer with an aborted transaction open are dropped. Control batches (COMMIT and ABORT markers)
 * are never records, in either isolation level.
 */

export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** The type of a control record (its key's second int16): ABORT 0, COMMIT 1. */
const ABORT_MARKER = 0;

export class AbortedTransactionFilter {
  /** Aborted transactions not reached yet, by first offset. */
  private readonly upcoming: AbortedTransaction[];
  private next = 0;
  /** Producers whose aborted transaction the batches are in. */
  private readonly aborted = new Set<number>();

  constructor(transactions: readonly AbortedTransaction[]) {
    this.upcoming = [...transactions].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * Whether a batch of `producerId` (-1: none) ending at `lastOffset` is dropped: a data batch when
   * it is transactional and its producer's transaction is aborted; a control batch always (an ABORT
   * marker also ends its producer's aborted transaction).
   */
  drops(producerId: number, lastOffset: number, transactional: boolean, control: boolean, abortMarker: boolean): boolean {
    if (producerId >= 0) {
      while (this.next < this.upcoming.length && (this.upcoming[this.next] as AbortedTransaction).firstOffset <= lastOffset) {
        this.aborted.add((this.upcoming[this.next] as AbortedTransaction).producerId);
        this.next++;
      }
      if (control) {
        if (abortMarker) this.aborted.delete(producerId);
        return true;
      }
      return transactional && this.aborted.has(producerId);
    }
    return control;
  }
}

/**
 * Whether a control batch's records section (`records`, uncompressed: the broker writes markers so)
 * starts with an ABORT marker. A control record's key is `version: int16, type: int16`.
 */
export function isAbortMarker(records: Buffer): boolean {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = records[at++];
      if (byte === undefined) return -1;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      scale *= 128;
    }
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  };
  varint(); // record length
  at += 1; // attributes
  varint(); // timestamp delta
  varint(); // offset delta
  const keyLength = varint();
  if (keyLength < 4 || at + 4 > records.length) return false;
  return records.readInt16BE(at + 2) === ABORT_MARKER;
}
