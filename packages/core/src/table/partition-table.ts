import { PartitionNotFoundError } from '../errors/kafka-error.js';
import { tableBusy, tableNotOpen, tableOffsetAhead, tableWillRetry } from '../errors/messages.js';
import { TableError, TableGoneError } from '../errors/table-error.js';
import type { TableOperation } from '../errors/table-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import type { KafkaMessage } from '../kafka/message.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { Storage, StorageFactory } from '../storage/storage.js';
import { SimpleBackoff } from '../util/backoff.js';
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
}

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
  readonly #reader: Pick<PartitionReader, 'read'>;
  readonly #factory: StorageFactory;
  readonly #logger: GokaLogger;
  readonly #update: UpdateCallback | undefined;
  readonly #decoder: ValueDecoder | undefined;
  readonly #backoff: SimpleBackoff;
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
    this.#reader = options.reader;
    this.#factory = options.storage;
    this.#logger = options.logger ?? streamLogger('warn');
    this.#update = options.updateCallback;
    this.#decoder = options.decoder;
    this.#backoff = new SimpleBackoff(options.backoff);
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
        await this.#loadOnce(signal, catchUp);
      } catch (error) {
        if (!signal.aborted) throw error;
      }
      return;
    }
    await runRestarting(() => this.#loadOnce(signal, catchUp), {
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

  async #loadOnce(signal: AbortSignal, catchUp: boolean): Promise<void> {
    const { topic, partition } = this;
    const storage = this.storage;
    this.#signal.set('connecting');
    const stored = await this.#attempt('get-offset', () => storage.getOffset());
    const [offsets] = await this.#attempt('offsets', () => this.#admin.offsets(topic, [partition]));
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

  /** Runs a storage or Kafka call and wraps its failure in a {@link TableError} naming the operation. */
  async #attempt<T>(operation: TableOperation, call: () => Promise<T>, offset?: number, lastOffset?: number): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw TableError.failed({ topic: this.topic, partition: this.partition, operation, offset, lastOffset }, error);
    }
  }
}
