/** One consumed message whose commit waits for its side effects. */
export interface PendingMessage {
  readonly offset: number;
  /** Side effects still outstanding: the batch's produce, deferred commits. */
  pending: number;
  /**
   * Counts the failed runs of the message's callback: a commit deferred during a failed run is void
   * (its release does nothing), since the run's effects were rolled back.
   */
  failedRuns: number;
}

/**
 * The commit rule of one topic-partition: a message may be committed once its callback returned and
 * every side effect completed, and only the contiguous completed prefix is committed (stricter than
 * Goka, which may commit past an incomplete message). Offsets are added in consumption order.
 */
export class CommitTracker {
  private queue: PendingMessage[] = [];
  private head = 0;
  private committable: number | undefined;
  private committed: number | undefined;

  /** Registers a consumed message with `pending` outstanding side effects. */
  add(offset: number, pending: number): PendingMessage {
    const entry: PendingMessage = { offset, pending, failedRuns: 0 };
    this.queue.push(entry);
    return entry;
  }

  /** Marks one side effect of `entry` complete. */
  complete(entry: PendingMessage): void {
    entry.pending -= 1;
  }

  /**
   * The next offset to commit (last completed offset of the prefix + 1) if it moved since the last
   * call to {@link markCommitted}, else `undefined`.
   */
  next(): number | undefined {
    while (this.head < this.queue.length && (this.queue[this.head] as PendingMessage).pending <= 0) {
      this.committable = (this.queue[this.head] as PendingMessage).offset + 1;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return this.committable !== undefined && this.committable !== this.committed ? this.committable : undefined;
  }

  /** Records that `offset` was committed. */
  markCommitted(offset: number): void {
    this.committed = offset;
  }

  /** The last offset passed to {@link markCommitted} (a next-offset), `undefined` before. */
  get lastCommitted(): number | undefined {
    return this.committed;
  }

  /** Messages consumed but not yet committable. */
  get outstanding(): number {
    return this.queue.length - this.head;
  }
}
