import { PartitionNotFoundError } from '../errors/kafka-error.js';
import {
  tableBusy,
  tableInvalidOption,
  tableNotOpen,
  tableOffsetAhead,
  tableOffsetsGaveUp,
  tableOffsetsWillRetry,
  tableWillRetry,
} from './table.messages.js';
import { TableError, TableGoneError } from '../errors/table-error.js';
import type { TableOperation } from '../errors/table-error.js';
import { isTransientKafkaError } from '../errors/transient-kafka-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { KafkaMessage, PartitionOffsets } from '../kafka/message.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { Storage, StorageFactory } from '../storage/storage.js';
import { SimpleBackoff, sleep } from '../util/backoff.js';
import type { BackoffOptions } from '../util/backoff.js';
import { streamLogger } from '../util/logger.js';
import type { GokaLogger } from '../util/logger.js';
import { StateSignal } from '../util/state.js';
import type { StateReader } from '../util/state.js';
import { PARTITION_STATES } from './partition-state.js';
import type { PartitionState } from './partition-state.js';
import { PartitionTableCounters } from './partition-table-stats.js';
import type { PartitionTableStats } from './partition-table-stats.js';
import { recordKey, toStorageOps, validateBatch } from './record-batch.js';
import type { ValueDecoder } from './record-batch.js';
import { planRecovery } from './recovery-plan.js';
import { runRestarting } from './restart-loop.js';
import type { IsolationLevel } from '../kafka/transaction.js';
import type { UpdateCallback } from './update-callback.js';

/** Options of a {@link PartitionTable}. */
export interface PartitionTableOptions {
  /** The table topic (e.g. `<group>-table`, a join table, or any topic a view reads). */
  readonly topic: string;
  readonly partition: number;
  /** Asks Kafka for the partition's oldest offset and high-water mark; may be shared by tables. */
  readonly admin: Pick<KafkaAdmin, 'offsets'>;
  /** Reads the partition's records; may be shared by tables. */
  readonly reader: Pick<PartitionReader, 'read'>;
  /** Opens the local store of `(topic, partition)`. */
  readonly storage: StorageFactory;
  /** @default streamLogger('warn') */
  readonly logger?: GokaLogger | undefined;
  /** Applies records one by one instead of the default batched put/delete. @default undefined (put/delete) */
  readonly updateCallback?: UpdateCallback | undefined;
  /**
   * Checks every non-null value before its batch is written; a failure stops the table with a
   * `TableDecodeError` and nothing of that batch is written. Views pass their codec.
   * @default undefined (values are stored unchecked)
   */
  readonly decoder?: ValueDecoder | undefined;
  /** Waits between retries of a load started with `retry: true`. @default DEFAULT_BACKOFF */
  readonly backoff?: BackoffOptions | undefined;
  /**
   * How a load started without `retry` (a processor's group table) retries temporary Kafka errors
   * when asking for the partition's offsets. @default DEFAULT_OFFSETS_RETRY
   */
  readonly offsetsRetry?: OffsetsRetryOptions | undefined;
  /**
   * How the table's end is asked (give `reader` the same): with `read_committed` a recovery ends at
   * the last stable offset, not at records of a transaction still open. @default 'read_uncommitted'
   */
  readonly isolationLevel?: IsolationLevel | undefined;
}

/**
 * Retrying temporary Kafka errors (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE,
 * UNKNOWN_TOPIC_OR_PARTITION, connection errors) of the `offsets` step of a load without `retry`:
 * right after a table topic is created, its partitions may have no leader yet.
 */
export interface OffsetsRetryOptions {
  /**
   * Retries stop once this much time passed since the first failure (or the next wait would pass
   * it); the load then fails with a `TableError` (operation `offsets`). 0 fails at the first error.
   * @default 30_000
   */
  readonly timeoutMs?: number | undefined;
  /** Waits between attempts. @default { step: 250, max: 2_000, resetAfter: 60_000 } */
  readonly backoff?: BackoffOptions | undefined;
}

/** Defaults of {@link OffsetsRetryOptions}: waits 0, 0.25, 0.5, ... 2 s, 2 s, ... for up to 30 s. */
export const DEFAULT_OFFSETS_RETRY: Readonly<{ timeoutMs: number; backoff: Readonly<Required<BackoffOptions>> }> =
  Object.freeze({
    timeoutMs: 30_000,
    backoff: Object.freeze({ step: 250, max: 2_000, resetAfter: 60_000 }),
  });

/** Options of {@link PartitionTable.recover} and {@link PartitionTable.catchUp}. */
export interface LoadOptions {
  /**
   * Retry Kafka errors (`offsets`, `read`) with backoff instead of failing (Goka's `restartOnError`:
   * auto-reconnecting views, join and hot-standby catch-up). The state goes back to `connecting`
   * while waiting; the storage stays open and readable. Storage, decode and update-callback errors
   * are never retried.
   * @default false
   */
  readonly retry?: boolean | undefined;
}

const noop = (): void => {};

/**
 * One topic-partition of a table: its local storage, recovery from the table topic and catch-up
 * (Goka's `PartitionTable`). Processors use it for the group table, joins and hot standby; views
 * for each partition of the viewed topic.
 *
 * Recovery follows Goka (§2.11): open the storage (`initializing`); read the stored offset and ask
 * Kafka for oldest offset and high-water mark (`connecting`); start at `stored + 1` (or `oldest` if
 * nothing is stored), never below `oldest`; fail with {@link TableGoneError} if the store has an
 * offset > 0 but the topic is empty; warn and count as recovered if the stored offset is at or past
 * the high-water mark; read (`recovering`) until the high-water mark measured at the start is
 * reached (or the reader reports it has nothing more), writing each fetched batch as one atomic
 * storage batch with its last offset; then mark the storage recovered (`preparing`) and go
 * `running`. In catch-up mode the table then keeps applying new records until stopped.
 *
 * One load (recover or catch-up) runs at a time. After {@link close} the table can be set up again.
 */
export class PartitionTable {
  readonly topic: string;
  readonly partition: number;
  readonly #admin: Pick<KafkaAdmin, 'offsets'>;
  readonly #isolationLevel: IsolationLevel | undefined;
  readonly #reader: Pick<PartitionReader, 'read'>;
  readonly #factory: StorageFactory;
  readonly #logger: GokaLogger;
  readonly #update: UpdateCallback | undefined;
  readonly #decoder: ValueDecoder | undefined;
  readonly #backoff: SimpleBackoff;
  readonly #offsetsTimeoutMs: number;
  /** Reset at the start of each `offsets` step (one load runs at a time). */
  readonly #offsetsBackoff: SimpleBackoff;
  readonly #signal = new StateSignal<PartitionState>(PARTITION_STATES, 'stopped');
  readonly #counters = new PartitionTableCounters();
  #storage: Storage | undefined;
  #opening: Promise<Storage> | undefined;
  /** Aborted by {@link close}: ends a running load. */
  #stopper = new AbortController();
  #loading: Promise<void> | undefined;
  #recovered = false;

  constructor(options: PartitionTableOptions) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.#admin = options.admin;
    this.#isolationLevel = options.isolationLevel;
    this.#reader = options.reader;
    this.#factory = options.storage;
    this.#logger = options.logger ?? streamLogger('warn');
    this.#update = options.updateCallback;
    this.#decoder = options.decoder;
    this.#backoff = new SimpleBackoff(options.backoff);
    this.#offsetsTimeoutMs = checkedMs('offsetsRetry.timeoutMs', options.offsetsRetry?.timeoutMs ?? DEFAULT_OFFSETS_RETRY.timeoutMs);
    this.#offsetsBackoff = new SimpleBackoff(options.offsetsRetry?.backoff ?? DEFAULT_OFFSETS_RETRY.backoff);
  }

  /** The current state. */
  get state(): PartitionState {
    return this.#signal.state;
  }

  /** The state signal: wait for a state, or observe changes. */
  get states(): StateReader<PartitionState> {
    return this.#signal;
  }

  /** Whether the storage is open (after {@link setup}, until {@link close}). */
  get isOpen(): boolean {
    return this.#storage !== undefined;
  }

  /** Whether the storage was marked recovered since it was opened (the table reached `running`). */
  get recovered(): boolean {
    return this.#recovered;
  }

  /**
   * The open storage (reads may be stale while recovering).
   * @throws TableError when the storage is not open
   */
  get storage(): Storage {
    const storage = this.#storage;
    if (storage === undefined) {
      const message = tableNotOpen(this.topic, this.partition, this.state);
      throw new TableError(message, { topic: this.topic, partition: this.partition, operation: 'open' });
    }
    return storage;
  }

  /** Opens the storage (state `initializing`); resolves at once when it is open. */
  async setup(): Promise<Storage> {
    if (this.#storage !== undefined) return this.#storage;
    this.#opening ??= this.#open();
    return this.#opening;
  }

  /**
   * Recovers the partition up to the high-water mark measured when loading starts, then resolves
   * (state `running`). Resolves early, without error, when `signal` aborts or the table is closed.
   * Opens the storage first if needed.
   * @throws TableError (or a subclass) naming topic, partition and offset
   */
  recover(signal?: AbortSignal, options: LoadOptions = {}): Promise<void> {
    return this.#startLoad(signal, false, options);
  }

  /**
   * Recovers like {@link recover} (if needed), then keeps applying new records until `signal` aborts
   * or the table is closed (Goka's catch-up mode for views, joins and hot standby).
   * @throws TableError (or a subclass) naming topic, partition and offset
   */
  catchUp(signal?: AbortSignal, options: LoadOptions = {}): Promise<void> {
    return this.#startLoad(signal, true, options);
  }

  /** Ends a running load, closes the storage and goes `stopped`. Idempotent. */
  async close(): Promise<void> {
    this.#stopper.abort();
    await this.#loading;
    const storage = this.#storage ?? (await this.#opening?.catch(() => undefined));
    this.#storage = undefined;
    this.#opening = undefined;
    this.#recovered = false;
    this.#stopper = new AbortController();
    this.#signal.set('stopped');
    if (storage !== undefined) await this.#attempt('close', () => storage.close());
  }

  /** A snapshot of progress and counters. */
  stats(): PartitionTableStats {
    return this.#counters.snapshot(this.topic, this.partition, this.state);
  }

  async #open(): Promise<Storage> {
    this.#signal.set('initializing');
    try {
      const storage = await this.#attempt('open', () => this.#factory(this.topic, this.partition));
      this.#storage = storage;
      return storage;
    } catch (error) {
      this.#opening = undefined;
      this.#signal.set('stopped');
      throw error;
    }
  }

  #startLoad(signal: AbortSignal | undefined, catchUp: boolean, options: LoadOptions): Promise<void> {
    if (this.#loading !== undefined) {
      const details = { topic: this.topic, partition: this.partition, operation: 'load' } as const;
      return Promise.reject(new TableError(tableBusy(this.topic, this.partition), details));
    }
    const stop = signal === undefined ? this.#stopper.signal : AbortSignal.any([signal, this.#stopper.signal]);
    const loading = this.#load(stop, catchUp, options.retry === true);
    this.#loading = loading.then(noop, noop).finally(() => {
      this.#loading = undefined;
    });
    return loading;
  }

  async #load(signal: AbortSignal, catchUp: boolean, retry: boolean): Promise<void> {
    await this.setup();
    if (signal.aborted) return;
    if (!retry) {
      try {
        await this.#loadOnce(signal, catchUp, this.#offsetsTimeoutMs);
      } catch (error) {
        if (!signal.aborted) throw error;
      }
      return;
    }
    // The restart loop retries every Kafka error itself, with the table's backoff.
    await runRestarting(() => this.#loadOnce(signal, catchUp, 0), {
      backoff: this.#backoff,
      signal,
      onRetry: (error, waitMs, retries) => {
        this.#signal.set('connecting');
        const reason = error instanceof Error ? error.message : String(error);
        this.#logger.warn(tableWillRetry(this.topic, this.partition, reason, waitMs, retries), {
          topic: this.topic,
          partition: this.partition,
          error,
        });
      },
    });
  }

  /** One load; `offsetsTimeoutMs` bounds the retries of temporary errors when asking for offsets. */
  async #loadOnce(signal: AbortSignal, catchUp: boolean, offsetsTimeoutMs: number): Promise<void> {
    const { topic, partition } = this;
    const storage = this.storage;
    this.#signal.set('connecting');
    const stored = await this.#attempt('get-offset', () => storage.getOffset());
    const offsets = await this.#offsets(signal, offsetsTimeoutMs);
    if (offsets === undefined) {
      throw TableError.failed({ topic, partition, operation: 'offsets' }, new PartitionNotFoundError(topic, partition));
    }
    const plan = planRecovery(stored, offsets.oldest, offsets.hwm);
    if (plan.status === 'gone') throw new TableGoneError(topic, partition, plan.hwm, stored ?? 0);
    if (plan.status === 'ahead') {
      this.#logger.warn(tableOffsetAhead(topic, partition, plan.hwm, stored ?? 0), { topic, partition });
    }
    this.#counters.hwm = plan.hwm;
    this.#counters.offset ??= stored;
    if (!this.#recovered) {
      this.#counters.recovery = {
        startTime: Date.now(),
        endTime: undefined,
        storedOffset: stored,
        startOffset: plan.start,
        hwm: plan.hwm,
      };
    }
    if (signal.aborted) return;
    let caughtUp = plan.start >= plan.hwm;
    if (caughtUp) {
      await this.#markRecovered();
      if (!catchUp) return;
    } else {
      this.#logger.debug(`recovering from ${plan.start} to hwm ${plan.hwm} (local offset ${String(stored)})`, {
        topic,
        partition,
      });
      this.#signal.set('recovering');
    }
    let position = plan.start;
    try {
      for await (const batch of this.#reader.read(topic, partition, plan.start, signal)) {
        const { messages, nextOffset } = batch;
        if (messages.length > 0) await this.#apply(storage, messages);
        // An empty batch that did not move on means the reader found nothing more: whatever is left
        // below the high-water mark was compacted away or is control records. (An empty batch that
        // moved on only skipped such offsets.)
        const exhausted = messages.length === 0 && nextOffset <= position;
        position = nextOffset;
        this.#counters.hwm = batch.highWatermark;
        if (!caughtUp && (nextOffset >= plan.hwm || exhausted)) {
          caughtUp = true;
          await this.#markRecovered();
          if (!catchUp) return;
        }
      }
    } catch (error) {
      if (error instanceof TableError) throw error;
      throw TableError.failed({ topic, partition, operation: 'read', offset: position }, error);
    }
  }

  /** Applies one non-empty fetched batch; nothing is written if a value does not decode. */
  async #apply(storage: Storage, messages: readonly KafkaMessage[]): Promise<void> {
    const first = (messages[0] as KafkaMessage).offset;
    const last = messages[messages.length - 1] as KafkaMessage;
    const update = this.#update;
    if (update === undefined) {
      const { ops, bytes } = toStorageOps(this.topic, this.partition, messages, this.#decoder);
      await this.#attempt('write', () => storage.write(ops, last.offset), first, last.offset);
      this.#counters.applied(messages.length, bytes, last.offset, last.timestamp);
      return;
    }
    if (this.#decoder !== undefined) validateBatch(this.topic, this.partition, messages, this.#decoder);
    let bytes = 0;
    for (const message of messages) {
      const { topic, partition, offset, headers, timestamp, value } = message;
      const key = recordKey(message);
      try {
        const pending = update({ topic, partition, offset, headers, timestamp }, storage, key, value);
        if (pending !== undefined) await pending;
      } catch (error) {
        throw TableError.failed({ topic: this.topic, partition: this.partition, operation: 'update', offset }, error);
      }
      bytes += (message.key?.length ?? 0) + (value?.length ?? 0);
    }
    await this.#attempt('write', () => storage.setOffset(last.offset), first, last.offset);
    this.#counters.applied(messages.length, bytes, last.offset, last.timestamp);
  }

  async #markRecovered(): Promise<void> {
    if (!this.#recovered) {
      this.#signal.set('preparing');
      await this.#attempt('mark-recovered', () => this.storage.markRecovered());
      this.#recovered = true;
      this.#counters.recovery = { ...this.#counters.recovery, endTime: Date.now() };
      this.#logger.debug('recovered', { topic: this.topic, partition: this.partition, offset: this.#counters.offset });
    }
    this.#signal.set('running');
  }

  /**
   * Asks Kafka for the partition's oldest offset and high-water mark. Temporary errors (see
   * {@link isTransientKafkaError}: no leader yet just after the topic was created, connection
   * errors) are retried with backoff until `timeoutMs` passed since the first failure; then, or at
   * once for other errors, fails with a {@link TableError} (operation `offsets`).
   */
  async #offsets(signal: AbortSignal, timeoutMs: number): Promise<PartitionOffsets | undefined> {
    const { topic, partition } = this;
    const details = { topic, partition, operation: 'offsets' } as const;
    const backoff = this.#offsetsBackoff;
    backoff.reset();
    let firstFailure: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const [offsets] = await this.#admin.offsets(topic, [partition], this.#isolationLevel);
        return offsets;
      } catch (error) {
        if (timeoutMs <= 0 || signal.aborted || !isTransientKafkaError(error)) throw TableError.failed(details, error);
        const now = Date.now();
        firstFailure ??= now;
        const elapsed = now - firstFailure;
        const wait = backoff.duration();
        const reason = error instanceof Error ? error.message : String(error);
        if (elapsed + wait > timeoutMs) {
          throw new TableError(tableOffsetsGaveUp(topic, partition, reason, attempt, elapsed), details, { cause: error });
        }
        this.#logger.debug(tableOffsetsWillRetry(topic, partition, reason, wait, attempt), { topic, partition, error });
        if (!(await sleep(wait, signal))) throw TableError.failed(details, error);
      }
    }
  }

  /** Runs a storage or Kafka call and wraps its failure in a {@link TableError} naming the operation. */
  async #attempt<T>(operation: TableOperation, call: () => Promise<T>, offset?: number, lastOffset?: number): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw TableError.failed({ topic: this.topic, partition: this.partition, operation, offset, lastOffset }, error);
    }
  }
}

function checkedMs(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(tableInvalidOption(option, value));
  }
  return value;
}
