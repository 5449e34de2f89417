import type { Headers, OutgoingMessage, ProducedOffset } from '../kafka/message.js';

/** Partition of a record whose partition is not assigned yet. */
export const UNASSIGNED = -1;

/**
 * One emitted record waiting for its acknowledgement. It is the {@link OutgoingMessage} handed to
 * the producer and also holds the emit's promise callbacks, so an emit allocates one object besides
 * its promise and buffers. The partition is assigned when the batch is sent (the partition count is
 * learned on connect).
 */
export class PendingRecord implements OutgoingMessage {
  partition = UNASSIGNED;
  /** When `emit` was called (`performance.now()`): the delivery timeout counts from here. */
  readonly emittedAt = performance.now();
  resolve: (offset: ProducedOffset) => void = noop;
  reject: (error: unknown) => void = noop;

  constructor(
    readonly topic: string,
    /** The key as emitted; hashed for the partition. */
    readonly keyText: string,
    readonly key: Buffer,
    readonly value: Buffer | null,
    readonly headers: Headers | undefined,
  ) {}

  /** Key and value bytes, counted against `maxBatchBytes`. */
  get size(): number {
    return this.key.length + (this.value === null ? 0 : this.value.length);
  }
}

function noop(): void {}
