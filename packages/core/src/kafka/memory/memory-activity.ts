import type { IsolationLevel } from '../transaction.js';
import type { MemoryPartitionLog } from './memory-partition-log.js';

/** Where a parked token waits: the next offset it will read of a partition log. */
interface Parked {
  readonly log: MemoryPartitionLog;
  readonly position: number;
  readonly isolation: IsolationLevel;
}

/**
 * One unit of consuming work on {@link MemoryKafka}: a consumer-group delivery loop, a partition
 * reader, a rebalance, a member's setup. It is busy from {@link MemoryActivity.begin} until it
 * {@link park}s waiting for records, busy again after {@link resume}, and gone after {@link end}.
 * Calls after `end` do nothing.
 */
export class ActivityToken {
  #parked: Parked | undefined;
  #ended = false;

  constructor(private readonly activity: MemoryActivity) {}

  /** Whether the token waits for a record and its partition holds nothing at or past its position. */
  get idle(): boolean {
    const parked = this.#parked;
    return parked !== undefined && parked.log.read(parked.position, 1, parked.isolation).length === 0;
  }

  /** Whether {@link end} was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * The work waits for a record at `position` of `log` (it has handled everything before it) that a
   * reader of `isolation` can see.
   */
  park(log: MemoryPartitionLog, position: number, isolation: IsolationLevel = 'read_uncommitted'): void {
    if (this.#ended) return;
    this.#parked = { log, position, isolation };
    this.activity.changed();
  }

  /** The work got a record (or a wake-up) and is busy again. */
  resume(): void {
    this.#parked = undefined;
  }

  /** The work is over. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#parked = undefined;
    this.activity.remove(this);
  }
}

/**
 * Testing hook of {@link MemoryKafka}: whether anything consuming from it still has work to do.
 * Every delivery loop of every consumer-group member, every partition reader (views, tables, joins,
 * lookups), every rebalance and every member's setup (its `assigned`) holds an {@link ActivityToken}.
 * The Kafka is idle when every token is parked at the end of its partition: all records up to the
 * high-water marks were delivered and their handlers returned, and no rebalance or setup runs.
 *
 * Work a handler starts without awaiting it (for example a processor's produce after its batch
 * returned) is not seen; `@goka/tester` checks idleness again after a turn of the event loop. A
 * reader's token ends when its iteration ends (`for await` calls `return()` on exit); an iterator
 * dropped halfway without `return()` would keep the Kafka busy.
 */
export class MemoryActivity {
  readonly #tokens = new Set<ActivityToken>();
  #waiters: Array<() => void> = [];

  /** A new token, busy until it parks or ends. */
  begin(): ActivityToken {
    const token = new ActivityToken(this);
    this.#tokens.add(token);
    return token;
  }

  /** Whether every token is parked at the end of its partition (true when there are none). */
  isIdle(): boolean {
    for (const token of this.#tokens) if (!token.idle) return false;
    return true;
  }

  /** Resolves the next time {@link isIdle} holds (at once if it does now). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Number of tokens (busy or parked). */
  get size(): number {
    return this.#tokens.size;
  }

  /** A token parked: wakes the waiters if everything is idle now. */
  changed(): void {
    if (this.#waiters.length === 0 || !this.isIdle()) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** A token ended. */
  remove(token: ActivityToken): void {
    this.#tokens.delete(token);
    this.changed();
  }
}
