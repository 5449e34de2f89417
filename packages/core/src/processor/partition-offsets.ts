import type { CommitOffset } from '../kafka/consumer-group.js';
import { CommitTracker } from './commit-tracker.js';

/**
 * The offset bookkeeping of one partition: a commit tracker per input topic (and the loop), which
 * offsets may be committed now, and which Kafka accepted.
 */
export class PartitionOffsets {
  private readonly trackers = new Map<string, CommitTracker>();

  constructor(private readonly partition: number) {}

  tracker(topic: string): CommitTracker {
    let tracker = this.trackers.get(topic);
    if (tracker === undefined) this.trackers.set(topic, (tracker = new CommitTracker()));
    return tracker;
  }

  /** The committed next-offset of `topic` (`undefined`: nothing committed yet). */
  committed(topic: string): number | undefined {
    return this.trackers.get(topic)?.lastCommitted;
  }

  /**
   * Offsets that may be committed now (the completed prefix of each topic) and were not committed yet.
   * Call {@link markCommitted} once Kafka accepted them: a failed commit is sent again next time.
   */
  commitOffsets(): CommitOffset[] {
    const offsets: CommitOffset[] = [];
    for (const [topic, tracker] of this.trackers) {
      const offset = tracker.next();
      if (offset === undefined) continue;
      offsets.push({ topic, partition: this.partition, offset });
    }
    return offsets;
  }

  /** Records that Kafka accepted the commit of `offsets` (from {@link commitOffsets}). */
  markCommitted(offsets: readonly CommitOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      if (partition === this.partition) this.trackers.get(topic)?.markCommitted(offset);
    }
  }
}
