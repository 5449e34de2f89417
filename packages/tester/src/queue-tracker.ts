import { CodecError } from '@goka/core';
import type { Codec, Headers, KafkaMessage } from '@goka/core';

/** @publicApi A record read by a {@link QueueTracker}, its key and value decoded. */
export interface TrackedMessage<V> {
  readonly key: string;
  /** The decoded value, or `null` for a tombstone. */
  readonly value: V | null;
  readonly headers: Headers;
  readonly partition: number;
  /** The record's Kafka offset in its partition. */
  readonly offset: number;
  readonly timestamp: number;
}

/**
 * @publicApi Follows what is written to one topic, over all its partitions, in the order the records
 * were appended (Goka's `QueueTracker`, for several partitions). Positions count the topic's records
 * in append order since the tester started (with one partition they are the Kafka offsets). A new
 * tracker starts at the current end: {@link next} returns only records appended after it was created,
 * until it {@link seek}s back. Records of aborted transactions (an exactly-once instance that
 * crashed) are stepped over, as a read_committed consumer does; they keep their position.
 */
export class QueueTracker<V> {
  #position: number;

  constructor(
    private readonly journal: readonly KafkaMessage[],
    readonly topic: string,
    private readonly codec: Codec<V>,
    /** Records a read_committed consumer never sees (of aborted transactions) are stepped over. */
    private readonly aborted: (message: KafkaMessage) => boolean = () => false,
  ) {
    this.#position = journal.length;
  }

  /** The next record, decoded, or `undefined` when the tracker has read everything so far. */
  next(): TrackedMessage<V> | undefined {
    const raw = this.nextRaw();
    if (raw === undefined) return undefined;
    const key = raw.key?.toString('utf8') ?? '';
    let value: V | null = null;
    if (raw.value !== null) {
      try {
        value = this.codec.decode(raw.value);
      } catch (error) {
        throw CodecError.wrap(error, { operation: 'decode', topic: this.topic, key });
      }
    }
    return { key, value, headers: raw.headers, partition: raw.partition, offset: raw.offset, timestamp: raw.timestamp };
  }

  /** The next record as stored (raw key and value bytes, headers), or `undefined`. */
  nextRaw(): KafkaMessage | undefined {
    for (;;) {
      const message = this.journal[this.#position];
      if (message === undefined) return undefined;
      this.#position += 1;
      if (!this.aborted(message)) return message;
    }
  }

  /** Every record not read yet, decoded (the tracker ends at the current end). */
  drain(): TrackedMessage<V>[] {
    const messages: TrackedMessage<V>[] = [];
    for (let message = this.next(); message !== undefined; message = this.next()) messages.push(message);
    return messages;
  }

  /** The position after the topic's last record (Goka's `Hwm`): records written to the topic so far. */
  hwm(): number {
    return this.journal.length;
  }

  /** The position of the record {@link next} returns. */
  nextOffset(): number {
    return this.#position;
  }

  /** Moves to `position`, clamped to `0..hwm()` (Goka's `Seek`). */
  seek(position: number): void {
    this.#position = Math.min(Math.max(0, position), this.journal.length);
  }
}
