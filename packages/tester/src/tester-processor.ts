import { Processor, silentLogger } from '@goka/core';
import type { GroupGraph, ProcessContext, ProcessorOptions, ProcessorState } from '@goka/core';
import type { StorageOp } from '@goka/core/storage';
import { LocalDisk } from './local-disk.js';
import { RunRecord } from './run-record.js';
import type { RunOutcome } from './run-record.js';
import { TesterError } from './tester-error.js';
import type { TesterComponent, TesterHost } from './tester-host.js';
import { TESTER_COMMIT_INTERVAL_MS } from './tester-processor-options.js';
import type { RestartOptions, TesterProcessorOptions } from './tester-processor-options.js';

const noop = (): void => {};

/**
 * @publicApi One instance of a processor group in a tester (what {@link Tester.processor} returns).
 * Several instances of one group share its partitions like processes of one consumer group: start a
 * second one and the partitions move; {@link stop} it gracefully, {@link crash} it (no revoke, no
 * last commit: its uncommitted work is redelivered to the survivors), {@link restart} it with or
 * without its local storage. Every method that changes something waits until the tester is idle.
 *
 * @typeParam V the group table's value type
 */
export class TesterProcessor<V = unknown> implements TesterComponent {
  /** The consumer group. */
  readonly group: string;
  #processor: Processor<V>;
  #run: RunRecord | undefined;
  #disk = new LocalDisk();
  #crashing = false;
  readonly #options: ProcessorOptions;

  constructor(
    private readonly host: TesterHost,
    readonly graph: GroupGraph<ProcessContext<V>>,
    /** The instance name: `<group>#<n>`, also its Kafka client id. */
    readonly name: string,
    options: TesterProcessorOptions,
  ) {
    this.group = graph.group;
    const { start: _start, ...processorOptions } = options;
    this.#options = {
      initialOffset: 'oldest',
      commitIntervalMs: TESTER_COMMIT_INTERVAL_MS,
      logger: silentLogger,
      ...processorOptions,
      kafka: host.kafka,
      clientId: name,
    };
    this.#processor = this.#create();
  }

  /** The core processor of the current run (a new one after each restart). */
  get processor(): Processor<V> {
    return this.#processor;
  }

  /** The processor's state. */
  get state(): ProcessorState {
    return this.#processor.state;
  }

  /** How the last run ended: `running`, `stopped`, `failed` or `crashed` (`undefined` before the first start). */
  get outcome(): RunOutcome | undefined {
    return this.#run?.outcome;
  }

  /** The error that stopped the last run, if it failed. */
  get error(): unknown {
    return this.#run?.error;
  }

  /**
   * Runs the instance (a new processor if it ran before) and resolves once it is ready and the
   * tester is idle (partitions rebalanced, backlog processed).
   * @throws the error that stopped the processor if it fails while starting
   */
  async start(): Promise<this> {
    if (this.#run?.outcome === 'running') throw new TesterError(`processor instance "${this.name}" is already running`);
    if (this.#run !== undefined) this.#processor = this.#create();
    const processor = this.#processor;
    let starting = true;
    let startupFailure: { error: unknown } | undefined;
    this.#crashing = false;
    const run = new RunRecord(processor.run(), {
      onFailure: (error) => {
        if (starting) startupFailure = { error };
        else this.host.failures.report(error);
      },
      crashing: () => this.#crashing,
    });
    this.#run = run;
    await Promise.race([processor.waitForReady().then(noop, () => run.settled), run.settled]);
    starting = false;
    if (startupFailure !== undefined) throw startupFailure.error;
    await this.host.settle();
    return this;
  }

  /** Stops the instance gracefully (in-flight work finishes and is committed) and waits until idle. */
  async stop(): Promise<void> {
    const run = this.#run;
    if (run?.outcome !== 'running') return;
    await this.#processor.stop();
    await run.settled;
    await this.host.settle();
  }

  /**
   * Kills the instance like a `SIGKILL`: its consumer-group member leaves without revoke and
   * without a last commit, its in-flight work is abandoned and can no longer write to Kafka. The
   * others take over its partitions from the committed offsets, so everything it had not committed
   * is processed again. Resolves once that is done and the tester is idle. Call
   * {@link Tester.waitForCommits} first when the test needs the work done so far committed.
   * @throws TesterError when the instance is not running
   */
  async crash(): Promise<void> {
    const run = this.#run;
    const coordinator = this.host.kafka.group(this.group);
    const [memberId] = coordinator.memberIds(this.name);
    if (run?.outcome !== 'running' || memberId === undefined) {
      throw new TesterError(`cannot crash processor instance "${this.name}": it is not running`);
    }
    this.#crashing = true;
    await coordinator.crash(memberId);
    await run.settled;
    await this.host.settle();
  }

  /**
   * Starts the instance again (stopping it gracefully first if it runs), with its local storage
   * (`keepStorage`, the default: recovery resumes from the stored table offsets) or without.
   */
  async restart(options: RestartOptions = {}): Promise<this> {
    await this.stop();
    if (options.keepStorage === false) this.#disk = new LocalDisk();
    return this.start();
  }

  /** The partitions this instance consumes now (sorted; empty when it has none or is not running). */
  partitions(): number[] {
    const coordinator = this.host.kafka.group(this.group);
    const [memberId] = coordinator.memberIds(this.name);
    const assignment = memberId === undefined ? undefined : coordinator.assignments().get(memberId);
    if (assignment === undefined) return [];
    return [...new Set([...assignment.values()].flat())].sort((a, b) => a - b);
  }

  /** The group-table value of `key` in this instance's local storage (`Processor.get`). */
  get(key: string): Promise<V | undefined> {
    return this.#processor.get(key);
  }

  /** Runs visitor `name` over this instance's keys (`Processor.visitAll`), then waits until idle. */
  async visitAll(name: string, meta: unknown): Promise<number> {
    const visited = await this.#processor.visitAll(name, meta);
    await this.host.settle();
    return visited;
  }

  /** Whether this instance keeps `table` as its group table. */
  ownsTable(table: string): boolean {
    return this.graph.groupTable() !== undefined && this.graph.tableTopic === table;
  }

  /**
   * Applies a table record the tester wrote to Kafka (`setTableValue`) to the open stores of
   * `(table, partition)` on this instance's disk: a running processor does not read its own table
   * topic, so it would not see the record otherwise.
   */
  async applyTableRecord(table: string, partition: number, ops: readonly StorageOp[], offset: number): Promise<void> {
    if (this.#run?.outcome !== 'running') return;
    for (const handle of this.#disk.openHandles(table, partition)) await handle.write(ops, offset);
  }

  transition(): Promise<void> | undefined {
    const run = this.#run;
    if (run?.outcome !== 'running' || this.#processor.state === 'running') return undefined;
    return Promise.race([this.#processor.states.waitFor('running'), run.settled]);
  }

  async shutdown(): Promise<void> {
    const run = this.#run;
    if (run?.outcome !== 'running') return;
    await this.#processor.stop();
    await run.settled;
  }

  #create(): Processor<V> {
    return new Processor(this.graph, { ...this.#options, storage: this.#disk.factory });
  }
}
