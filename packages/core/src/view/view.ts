import type { Codec } from '../codec/codec.js';
import { CodecError } from '../errors/codec-error.js';
import { TopicNotFoundError } from '../errors/kafka-error.js';
import { viewAlreadyRunning, viewStoppedBeforeRunning } from './view.messages.js';
import { ViewError, ViewNotRunningError } from '../errors/table-error.js';
import { TopicPartitionGapError } from '../errors/topic-error.js';
import type { KafkaAdmin } from '../kafka/admin.js';
import { connectComponent } from '../kafka/connect-component.js';
import { adapterOf } from '../kafka/connection.js';
import { bindCodec } from '../graph/bind-codecs.js';
import { partitionFor } from '../partitioner/partitioner.js';
import type { StorageRange } from '../storage/storage.js';
import { PartitionTable } from '../table/partition-table.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import { StateSignal } from '../util/state.js';
import { MergeIterator } from './merge-iterator.js';
import type { ViewEntry } from './merge-iterator.js';
import { resolveViewOptions } from './view-options.js';
import type { ResolvedViewOptions, ViewOptions } from './view-options.js';
import { VIEW_STATES, viewStateOf } from './view-state.js';
import type { ViewState, ViewStateListener } from './view-state.js';
import type { ViewStats } from './view-stats.js';

/** A caller of {@link View.waitRunning} still waiting. */
interface RunningWaiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** The Kafka clients of a run, once created. */
interface Clients {
  admin?: KafkaAdmin;
  reader?: PartitionReader;
}

/** The active run: how to stop it and when it has settled. */
interface ActiveRun {
  readonly controller: AbortController;
  readonly settled: Promise<void>;
}

/**
 * A read-only local replica of a whole table (Goka's `View`): every partition of the table topic
 * is recovered into a local store and then kept up to date; `get`, `has` and `iterator` read the
 * local stores, decoding values with `codec`.
 *
 * A view is restartable: `run()` opens the partitions' storages, recovers them in parallel and
 * catches up until stopped; when `run()` settles every storage is closed and the state is `idle`
 * again. `run()` may then be called again (with a persistent storage factory the next run resumes
 * from the stored offsets). Only one run is active at a time.
 *
 * Every value read from the table topic is decoded before it is stored: an undecodable record ends
 * `run()` with a `TableDecodeError` naming topic, partition, offset and key, and nothing of its
 * fetched batch is written.
 *
 * @example
 * const view = new View('clicks-table', codecs.int64, { kafka });
 * const running = view.run(signal);
 * await view.waitRunning();
 * const clicks = await view.get('user-1');
 */
export class View<V> {
  readonly #table: string;
  /** The given codec, or what its `bind` resolved to (bound at the first run). */
  #codec: Codec<V>;
  readonly #options: ResolvedViewOptions;
  readonly #state = new StateSignal<ViewState>(VIEW_STATES, 'idle');
  readonly #waiters = new Set<RunningWaiter>();
  #tables: readonly PartitionTable[] = [];
  #run: ActiveRun | undefined;
  /** The error that ended the last run, until the view is running again. */
  #lastError: { error: unknown } | undefined;

  /**
   * @param table the table topic to replicate (usually `tableName(group)`, any compacted topic works)
   * @param codec decodes the table's values
   * @throws ViewError when the table name, the codec or an option is unusable
   */
  constructor(table: string, codec: Codec<V>, options: ViewOptions) {
    this.#options = resolveViewOptions(table, codec, options);
    this.#table = table;
    this.#codec = codec;
    this.#state.observe((state) => {
      // A waiter removes itself from the set, which is safe while iterating it.
      if (state !== 'running') return;
      this.#lastError = undefined;
      for (const waiter of this.#waiters) waiter.resolve();
    });
  }

  /** The table topic. */
  get topic(): string {
    return this.#table;
  }

  /** The table topic's partitions (known once `run()` listed them; empty while idle). */
  get partitions(): readonly number[] {
    return this.#tables.map((table) => table.partition);
  }

  /** The minimum state over the partitions (`idle` when not running). */
  get state(): ViewState {
    return this.#state.state;
  }

  /**
   * The error that ended the last run, kept until the view is `running` again (`undefined` when the
   * last run stopped without error, or the view has never run). Reads while the view is not running
   * name it (see {@link get}).
   */
  get lastError(): unknown {
    return this.#lastError?.error;
  }

  /** Whether every partition is `running` right now (Goka's `Recovered()`; `false` while idle). */
  recovered(): boolean {
    return this.#tables.length > 0 && this.#tables.every((table) => table.state === 'running');
  }

  /**
   * Calls `listener` after every state change (not with the current state: read {@link state}).
   * A throwing listener is logged and does not disturb the view. Returns the unsubscribe function.
   */
  onStateChange(listener: ViewStateListener): () => void {
    return this.#state.observe((state, previous) => {
      try {
        listener(state, previous);
      } catch (error) {
        this.#options.logger.error('state change listener failed', { error });
      }
    });
  }

  /**
   * Resolves once the view is `running` (at once if it is). Rejects when the run it waits for ends
   * first (with the run's error, or a `ViewError` when stopped), or with `signal.reason` on abort.
   * May be called before `run()`: it then waits for the next run.
   */
  waitRunning(signal?: AbortSignal): Promise<void> {
    if (this.#state.is('running')) return Promise.resolve();
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => waiter.reject(signal?.reason);
      const done = (): void => {
        this.#waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: RunningWaiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Recovers all partitions in parallel, then keeps them up to date until `signal` aborts or
   * {@link stop} is called; then closes the storages and resolves. Rejects with the error that
   * ended it: `TopicNotFoundError` when the table topic is missing, `TopicPartitionGapError` when
   * its partitions are not `0..n-1`, a `TableError` (with topic, partition and offset) for Kafka
   * errors (without `autoReconnect`), storage, decode and update-callback errors, or a `ViewError`
   * when a run is already active.
   */
  run(signal?: AbortSignal): Promise<void> {
    if (this.#run !== undefined) return Promise.reject(new ViewError(viewAlreadyRunning(this.#table), this.#table));
    return this.#execute(signal);
  }

  /** Stops the active run and resolves once it has settled (storages closed). No-op when idle. */
  async stop(): Promise<void> {
    const run = this.#run;
    if (run === undefined) return;
    run.controller.abort();
    await run.settled;
  }

  /**
   * The decoded value of `key`, or `undefined`. Reads the local store, so while the view is
   * connecting or catching up the value may be stale.
   * @throws ViewNotRunningError (rejects) when the view is idle or initializing; its `cause` and
   *   message carry {@link lastError} when the last run failed
   * @throws CodecError (rejects) when the stored value does not decode
   */
  async get(key: string): Promise<V | undefined> {
    const state = this.#state.state;
    if (state === 'idle' || state === 'initializing') throw this.#notRunning(state);
    const value = await this.#tableOf(key).storage.get(key);
    return value === undefined ? undefined : this.#decode(key, value);
  }

  /**
   * Whether the local store has `key`. Needs only the key's partition to be open (Goka).
   * @throws ViewNotRunningError (rejects) when that partition's storage is not open
   */
  async has(key: string): Promise<boolean> {
    return this.#tableOf(key).storage.has(key);
  }

  /**
   * Deletes `key` from the local store only (not from Kafka); a later record of the key brings it back.
   * @throws ViewNotRunningError (rejects) when that partition's storage is not open
   */
  async evict(key: string): Promise<void> {
    await this.#tableOf(key).storage.delete(key);
  }

  /**
   * The entries of all partitions within `range` (`[gte, lt)`), decoded, in UTF-8 byte order of the
   * keys across partitions. Each partition is read from a snapshot taken now. A value that does not
   * decode rejects that step with a `CodecError`.
   * @throws ViewNotRunningError when the view is idle or initializing
   */
  iterator(range: StorageRange = {}): AsyncIterableIterator<ViewEntry<V>, undefined, undefined> {
    const state = this.#state.state;
    if (state === 'idle' || state === 'initializing') throw this.#notRunning(state);
    const sources = this.#tables.map((table) => table.storage.iterator(range));
    return new MergeIterator(sources, (key, value) => this.#decode(key, value));
  }

  /** State and per-partition table stats (recovery, offsets, records, bytes). */
  stats(): ViewStats {
    return { table: this.#table, state: this.#state.state, partitions: this.#tables.map((table) => table.stats()) };
  }

  /** One run: start, wait until stopped or failed, shut down; rejects with the first error. */
  async #execute(signal: AbortSignal | undefined): Promise<void> {
    const controller = new AbortController();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.#run = { controller, settled };
    const onAbort = (): void => controller.abort();
    if (signal?.aborted === true) controller.abort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.#state.set('initializing');
    const { clientId } = this.#options;
    const clients: Clients = {};
    const unsubscribes: Array<() => void> = [];
    let failure: { error: unknown } | undefined;
    try {
      this.#codec = await bindCodec(this.#codec, { topic: this.#table, codecServices: this.#options.codecServices });
      const source = adapterOf(this.#options.kafka);
      const kafka = source instanceof Promise ? await source : source;
      clients.admin = kafka.createAdmin({ clientId });
      clients.reader = kafka.createReader({ clientId, isolationLevel: this.#options.isolationLevel });
      await this.#runPartitions(clients.admin, clients.reader, controller, unsubscribes);
    } catch (error) {
      failure = { error };
      // Reads from now on (the storages are closing) say why the view went down.
      this.#lastError = failure;
    }
    signal?.removeEventListener('abort', onAbort);
    for (const unsubscribe of unsubscribes) unsubscribe();
    const closeFailure = await this.#shutdown(clients);
    failure ??= closeFailure;
    const reason = failure?.error ?? new ViewError(viewStoppedBeforeRunning(this.#table), this.#table);
    this.#lastError = failure === undefined ? undefined : { error: failure.error };
    for (const waiter of this.#waiters) waiter.reject(reason);
    this.#run = undefined;
    settle();
    if (failure !== undefined) throw failure.error;
  }

  /** Connects, lists the partitions, and runs every partition table until stopped or one fails. */
  async #runPartitions(
    admin: KafkaAdmin,
    reader: PartitionReader,
    controller: AbortController,
    unsubscribes: Array<() => void>,
  ): Promise<void> {
    await connectComponent(`view of table ${JSON.stringify(this.#table)}`, admin);
    await reader.connect();
    const partitions = await this.#listPartitions(admin);
    if (controller.signal.aborted) return;
    this.#tables = partitions.map((partition) => this.#createTable(partition, admin, reader));
    for (const table of this.#tables) unsubscribes.push(table.states.observe(() => this.#updateState()));
    const retry = this.#options.autoReconnect;
    let failure: { error: unknown } | undefined;
    await Promise.all(
      this.#tables.map(async (table) => {
        try {
          await table.catchUp(controller.signal, { retry });
        } catch (error) {
          failure ??= { error };
          controller.abort();
        }
      }),
    );
    if (failure !== undefined) throw failure.error;
  }

  /**
   * Goes idle (reads fail with `ViewNotRunningError` from now on), closes the partitions' storages and
   * disconnects. Returns the first close failure; disconnect failures are only logged.
   */
  async #shutdown(clients: Clients): Promise<{ error: unknown } | undefined> {
    const { logger } = this.#options;
    const tables = this.#tables;
    this.#tables = [];
    this.#state.set('idle');
    let failure: { error: unknown } | undefined;
    for (const result of await Promise.allSettled(tables.map((table) => table.close()))) {
      if (result.status === 'rejected') failure ??= { error: result.reason };
    }
    const disconnected = await Promise.allSettled([clients.admin?.disconnect(), clients.reader?.disconnect()]);
    for (const result of disconnected) {
      if (result.status === 'rejected') logger.warn('disconnecting from Kafka failed', { error: result.reason });
    }
    return failure;
  }

  async #listPartitions(admin: KafkaAdmin): Promise<readonly number[]> {
    const description = await admin.describeTopic(this.#table);
    if (description === undefined) throw new TopicNotFoundError(this.#table);
    const { partitions } = description;
    if (partitions.length === 0 || partitions.some((partition, index) => partition !== index)) {
      throw new TopicPartitionGapError(this.#table, partitions);
    }
    return partitions;
  }

  #createTable(partition: number, admin: KafkaAdmin, reader: PartitionReader): PartitionTable {
    const options = this.#options;
    return new PartitionTable({
      topic: this.#table,
      partition,
      admin,
      reader,
      storage: options.storage,
      logger: options.logger,
      updateCallback: options.updateCallback,
      decoder: this.#codec,
      backoff: options.backoff,
      isolationLevel: options.isolationLevel,
    });
  }

  /** Sets the view state to the minimum over the partitions (at least `initializing` while running). */
  #updateState(): void {
    let rank = VIEW_STATES.length - 1;
    for (const table of this.#tables) rank = Math.min(rank, this.#state.rank(viewStateOf(table.state)));
    this.#state.set(VIEW_STATES[Math.max(rank, this.#state.rank('initializing'))] as ViewState);
  }

  /** The partition table of `key` (the view's hasher, Goka's partitioning). */
  #tableOf(key: string): PartitionTable {
    const tables = this.#tables;
    const table = tables.length === 0 ? undefined : tables[partitionFor(key, tables.length, this.#options.hasher)];
    if (table === undefined || !table.isOpen) throw this.#notRunning(this.#state.state);
    return table;
  }

  /** The error of a read while not running, naming the last run's error if there is one. */
  #notRunning(state: ViewState): ViewNotRunningError {
    const last = this.#lastError;
    return last === undefined ? new ViewNotRunningError(this.#table, state) : new ViewNotRunningError(this.#table, state, last.error);
  }

  #decode(key: string, value: Buffer): V {
    try {
      return this.#codec.decode(value);
    } catch (error) {
      throw CodecError.wrap(error, { operation: 'decode', codec: this.#codec.name, topic: this.#table, key });
    }
  }
}
