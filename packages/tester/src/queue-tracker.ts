import type { Codec, Headers, KafkaMessage, MemoryKafka } from '@goka/core';

/** A record read by a {@link QueueTracker}, its key and value decoded. */
export interface TrackedMessage<V> {
  readonly key: string;
  /** The decoded value, or `null` for a tombstone. */
  readonly value: V | null;
  readonly headers: Headers;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Follows what is written to one topic, over all its partitions, in the order the records were
 * appended (Goka's `QueueTracker`, for several partitions). It starts at the topic's current end:
 * only records appended after {@link Tester.tracker} returned are seen.
 */
export class QueueTracker<V> {
  private readonly journal: KafkaMessage[] = [];
  private position = 0;
  private readonly unsubscribe: () => void;

  constructor(
    kafka: MemoryKafka,
    readonly topic: string,
    private readonly codec: Codec<V>,
  ) {
    this.unsubscribe = kafka.onAppend((message) => {
      if (message.topic === topic) this.journal.push(message);
    });
  }

  /** The next record, decoded, or `undefined` when the tracker has read everything so far. */
  next(): TrackedMessage<V> | undefined {
    const raw = this.nextRaw();
    if (raw === undefined) return undefined;
    return {
      key: raw.key?.toString('utf8') ?? '',
      value: raw.value === null ? null : this.codec.decode(raw.value),
      headers: raw.headers,
      partition: raw.partition,
      offset: raw.offset,
    };
  }

  /** The next record as stored (raw key and value bytes), or `undefined`. */
  nextRaw(): KafkaMessage | undefined {
    const message = this.journal[this.position];
    if (message !== undefined) this.position++;
    return message;
  }

  /** How many records were appended to the topic since the tracker started. */
  hwm(): number {
    return this.journal.length;
  }

  /** The position of the record `next` returns (0 is the first record since the tracker started). */
  nextOffset(): number {
    return this.position;
  }

  /** Moves to a position between 0 and {@link hwm}. */
  seek(position: number): void {
    this.position = Math.min(Math.max(0, position), this.journal.length);
  }

  /** Stops recording new records. */
  release(): void {
    this.unsubscribe();
  }
}
