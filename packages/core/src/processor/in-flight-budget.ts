import type { KafkaMessage } from '../kafka/message.js';

/**
 * What one message weighs against the budget besides its key and value bytes: the JS objects of the
 * message, its pending commit entry and its table write (a few hundred bytes whatever the payload).
 */
const MESSAGE_OVERHEAD_BYTES = 128;

/** The weight of a batch against an {@link InFlightBudget}: its keys' and values' bytes plus a per-message overhead. */
export function batchWeight(messages: readonly KafkaMessage[]): number {
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as KafkaMessage;
    bytes += MESSAGE_OVERHEAD_BYTES + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  }
  return bytes;
}

/**
 * One memory budget for every partition of a processor instance: the batches whose callbacks ran but
 * whose records Kafka has not acknowledged yet (and whose table writes are not stored) hold their
 * messages, loaded values and writes. Each partition may pipeline a few batches; without a shared
 * bound, 128 partitions hold 16 times what 8 do. A batch waits (first come, first served) until
 * its weight fits; one batch is always admitted when nothing is in flight, however large.
 */
export class InFlightBudget {
  private used = 0;
  private readonly waiting: Array<{ readonly bytes: number; readonly admit: () => void }> = [];

  constructor(readonly limitBytes: number) {}

  /** Bytes held by batches in flight now. */
  get inFlightBytes(): number {
    return this.used;
  }

  /** Resolves once `bytes` fit (at once, without a promise, when they fit now and nobody waits). */
  acquire(bytes: number): Promise<void> | undefined {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return undefined;
    }
    return new Promise<void>((admit) => this.waiting.push({ bytes, admit }));
  }

  /**
   * Runs `work` once `bytes` fit. Resolving, `work` takes the bytes over (to {@link release} them
   * later); if it rejects, they are released here.
   */
  async admit<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    const admitted = this.acquire(bytes);
    if (admitted !== undefined) await admitted;
    try {
      return await work();
    } catch (error) {
      this.release(bytes);
      throw error;
    }
  }

  release(bytes: number): void {
    this.used -= bytes;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as { readonly bytes: number; readonly admit: () => void };
      if (!this.fits(next.bytes)) break;
      this.waiting.shift();
      this.used += next.bytes;
      next.admit();
    }
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limitBytes;
  }
}
