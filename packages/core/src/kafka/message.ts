/** Record headers as Goka sees them: name → raw bytes; for duplicate names the last one wins. */
export type Headers = Readonly<Record<string, Buffer>>;

/** A record read from a topic partition. `null` key or value means the record had none (a tombstone value). */
export interface KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /** Milliseconds since the epoch (the record's CreateTime). */
  readonly timestamp: number;
}

/** A record to produce to one partition, chosen by the caller's partitioner. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer;
  /** `null` produces a tombstone; an empty Buffer is a value. */
  readonly value: Buffer | null;
  readonly headers?: Headers;
  readonly timestamp?: number;
}

/** Where the broker stored a produced record. */
export interface ProducedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The offsets bounding a partition: the oldest readable offset and the high-water mark (next offset written). */
export interface PartitionOffsets {
  readonly oldest: number;
  readonly hwm: number;
}
