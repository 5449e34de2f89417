import type { OutgoingMessage } from '@goka/core/kafka';

/** A producer id and epoch, as InitProducerId hands them out. */
export interface ProducerIdentity {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** The producer id, epoch and first sequence number a record batch is written with. */
export interface BatchSequence extends ProducerIdentity {
  readonly baseSequence: number;
}

/** A batch sent whose outcome is unknown: the send failed before Kafka acknowledged it. */
interface UncertainBatch {
  readonly records: readonly OutgoingMessage[];
  readonly sequence: BatchSequence;
}

interface PartitionState {
  /** The identity {@link PartitionState.next} counts under. */
  identity: ProducerIdentity | undefined;
  next: number;
  uncertain: UncertainBatch | undefined;
  /** Resolves when the send that holds the partition is done. */
  lock: Promise<void>;
}

/**
 * The sequence numbers of an idempotent producer (KIP-98): per topic-partition, each record batch
 * carries the producer id and epoch and the sequence number of its first record, counting on from
 * the previous batch; the broker writes a batch whose sequence it has seen (a retry after a lost
 * acknowledgement) only once, and refuses one that skips a number.
 *
 * One send holds its partitions (see {@link lock}) until it is done, so a partition's batches reach
 * the broker in sequence order and a retry reuses its batch's sequence. When a send fails before
 * Kafka acknowledged a batch, the batch may be written or not: it stays *uncertain*, and the next
 * send of that partition must start with the same records (a caller retrying them), which are sent
 * again as one batch with the same sequence. A next send that does not (the caller gave up on them)
 * would leave a gap or a duplicate: the producer takes a new producer id first ({@link reset}), under
 * which every partition counts from 0 again.
 */
export class ProducerSequences {
  #identity: ProducerIdentity | undefined;
  #initializing: Promise<ProducerIdentity> | undefined;
  readonly #partitions = new Map<string, PartitionState>();

  /** @param init asks Kafka for a producer id and epoch (InitProducerId) */
  constructor(private readonly init: () => Promise<ProducerIdentity>) {}

  /** The current producer id and epoch, asked from Kafka the first time (and after a {@link reset}). */
  identity(): Promise<ProducerIdentity> {
    if (this.#identity !== undefined) return Promise.resolve(this.#identity);
    this.#initializing ??= this.init().then(
      (identity) => {
        this.#identity = identity;
        this.#initializing = undefined;
        return identity;
      },
      (error: unknown) => {
        this.#initializing = undefined;
        throw error;
      },
    );
    return this.#initializing;
  }

  /** Forgets the producer id: the next batches get a new one and count from 0. */
  reset(): void {
    this.#identity = undefined;
  }

  /**
   * Waits until no other send holds any partition of `keys`, then holds them all until the returned
   * function is called. Partitions are taken in one order (sorted), so two sends never wait on each other.
   */
  async lock(keys: readonly string[]): Promise<() => void> {
    const releases: Array<() => void> = [];
    for (const key of [...keys].sort()) {
      const state = this.state(key);
      const previous = state.lock;
      let release!: () => void;
      state.lock = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      releases.push(release);
    }
    return () => {
      for (const release of releases) release();
    };
  }

  /**
   * How many of `records` (a partition's records of a send, in order) are the uncertain batch of
   * `key` sent again: its length when they start with exactly its records, else 0. When the
   * partition has an uncertain batch that `records` do not repeat, the producer id is {@link reset}
   * (that batch is given up).
   */
  resent(key: string, records: readonly OutgoingMessage[]): number {
    const uncertain = this.#partitions.get(key)?.uncertain;
    if (uncertain === undefined) return 0;
    const length = uncertain.records.length;
    if (records.length >= length && uncertain.records.every((record, index) => records[index] === record)) return length;
    (this.#partitions.get(key) as PartitionState).uncertain = undefined;
    this.reset();
    return 0;
  }

  /** The sequence of the uncertain batch of `key` (to send it again), if any. */
  uncertainSequence(key: string): BatchSequence | undefined {
    return this.#partitions.get(key)?.uncertain?.sequence;
  }

  /** The sequence of a new batch of `count` records of `key` under `identity`. */
  assign(key: string, count: number, identity: ProducerIdentity): BatchSequence {
    const state = this.state(key);
    if (state.identity !== identity) {
      state.identity = identity;
      state.next = 0;
    }
    const baseSequence = state.next;
    // Sequence numbers wrap at 2^31 - 1 (Kafka's rule).
    state.next = (state.next + count) % 2_147_483_648;
    return { ...identity, baseSequence };
  }

  /** Kafka acknowledged the batch of `key` written with `sequence`. */
  acknowledged(key: string, sequence: BatchSequence): void {
    const state = this.#partitions.get(key);
    if (state?.uncertain?.sequence === sequence) state.uncertain = undefined;
  }

  /** A send ended without Kafka acknowledging the batch of `key` (`records`, written with `sequence`). */
  uncertain(key: string, records: readonly OutgoingMessage[], sequence: BatchSequence): void {
    this.state(key).uncertain = { records, sequence };
  }

  private state(key: string): PartitionState {
    let state = this.#partitions.get(key);
    if (state === undefined) {
      state = { identity: undefined, next: 0, uncertain: undefined, lock: Promise.resolve() };
      this.#partitions.set(key, state);
    }
    return state;
  }
}
