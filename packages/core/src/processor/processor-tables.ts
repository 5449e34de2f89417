import type { KafkaAdmin } from '../kafka/admin.js';
import type { PartitionReader } from '../kafka/partition-reader.js';
import type { ProcessContext } from '../context/process-context.js';
import type { GroupGraph } from '../graph/group-graph.js';
import type { StorageFactory } from '../storage/storage.js';
import { PartitionTable } from '../table/partition-table.js';
import type { PartitionTableStats } from '../table/partition-table-stats.js';
import type { GokaLogger } from '../util/logger.js';
import type { PartitionProcessor } from './partition-processor.js';
import type { ProcessorOptions } from './processor-options.js';

/** What the tables of a processor need of it. */
export interface ProcessorTablesHost {
  readonly graph: GroupGraph<ProcessContext<unknown>>;
  readonly options: ProcessorOptions;
  readonly storage: StorageFactory;
  readonly logger: GokaLogger;
  readonly exactlyOnce: boolean;
  /** Aborted when the processor stops. */
  readonly stopped: AbortSignal;
  /** The partition count of the group's topics. */
  partitionCount(): number;
  /** Stops the processor with `error`. */
  fail(error: unknown): void;
}

/** The table partitions of the group table and the joined tables of the partitions just opened. */
export interface OpenedTables {
  readonly table: PartitionTable | undefined;
  readonly joins: Map<string, PartitionTable>;
  /** Resolves when the group table is recovered and every join caught up. */
  readonly recovered: Promise<void>;
}

/**
 * The table partitions a processor holds: the group table and joined tables of each active partition,
 * the hot-standby copies of the others, and recover-ahead.
 */
export class ProcessorTables {
  private readonly tables = new Map<PartitionProcessor, PartitionTable[]>();
  /** Hot-standby copies of the table partitions this instance is not assigned. */
  readonly standby = new Map<number, PartitionTable>();

  constructor(private readonly host: ProcessorTablesHost) {}

  /** Opens and starts recovering the tables of `partition`; {@link track} them with their worker. */
  open(partition: number, admin: KafkaAdmin, reader: PartitionReader, signal: AbortSignal): OpenedTables {
    const graph = this.host.graph;
    const tableOf = (topic: string): PartitionTable => this.tableOf(topic, partition, admin, reader);
    const table = graph.groupTable() === undefined ? undefined : tableOf(graph.tableTopic);
    const joins = new Map(graph.jointTables().map((edge) => [edge.topic, tableOf(edge.topic)]));
    const recovering: Array<Promise<void>> = [];
    if (table !== undefined) recovering.push(table.recover(signal));
    for (const join of joins.values()) {
      join.catchUp(signal, { retry: true }).catch((error: unknown) => this.host.fail(error));
      recovering.push(join.states.waitFor('running', signal));
    }
    return { table, joins, recovered: Promise.all(recovering).then(() => undefined) };
  }

  /** Keeps the tables of `worker` until {@link close}. */
  track(worker: PartitionProcessor, { table, joins }: OpenedTables): void {
    this.tables.set(worker, [...(table === undefined ? [] : [table]), ...joins.values()]);
  }

  /** The stats of `worker`'s group-table partition. */
  groupTableStats(worker: PartitionProcessor): PartitionTableStats | undefined {
    return this.tables.get(worker)?.find((t) => t.topic === this.host.graph.tableTopic)?.stats();
  }

  async close(worker: PartitionProcessor): Promise<void> {
    const tables = this.tables.get(worker) ?? [];
    this.tables.delete(worker);
    await Promise.all(tables.map((table) => table.close()));
  }

  private tableOf(topic: string, partition: number, admin: KafkaAdmin, reader: PartitionReader): PartitionTable {
    return new PartitionTable({
      topic,
      partition,
      admin,
      reader,
      storage: this.host.storage,
      logger: this.host.logger,
      updateCallback: this.host.options.updateCallback,
      ...(this.host.exactlyOnce ? { isolationLevel: 'read_committed' as const } : {}),
    });
  }

  /**
   * Recovers every partition of the group table and of the joined tables once and closes them again
   * (Goka's recover-ahead: its recover-only partition processors recover the table and the joins).
   */
  async recoverAhead(admin: KafkaAdmin, reader: PartitionReader): Promise<void> {
    const graph = this.host.graph;
    const topics = [...(graph.groupTable() === undefined ? [] : [graph.tableTopic]), ...graph.jointTables().map((edge) => edge.topic)];
    const tables = topics.flatMap((topic) =>
      Array.from({ length: this.host.partitionCount() }, (_, partition) => this.tableOf(topic, partition, admin, reader)),
    );
    try {
      await Promise.all(tables.map((table) => table.recover(this.host.stopped)));
    } finally {
      await Promise.allSettled(tables.map((table) => table.close()));
    }
  }

  /** Closes the standby copies of partitions that become active (their storage is reopened). */
  async releaseStandby(active: readonly number[]): Promise<void> {
    const released = active.flatMap((partition) => {
      const table = this.standby.get(partition);
      this.standby.delete(partition);
      return table === undefined ? [] : [table];
    });
    await Promise.all(released.map((table) => table.close()));
  }

  /** Starts catching up every table partition that is not active here (hot standby). */
  startStandby(active: readonly number[], admin: KafkaAdmin, reader: PartitionReader): void {
    if (this.host.options.hotStandby !== true || this.host.graph.groupTable() === undefined) return;
    for (let partition = 0; partition < this.host.partitionCount(); partition++) {
      if (active.includes(partition) || this.standby.has(partition)) continue;
      const table = this.tableOf(this.host.graph.tableTopic, partition, admin, reader);
      this.standby.set(partition, table);
      table.catchUp(this.host.stopped, { retry: true }).catch((error: unknown) => this.host.fail(error));
    }
  }

  /** Closes every standby copy (the processor stops). */
  async closeStandby(): Promise<void> {
    await Promise.allSettled([...this.standby.values()].map((table) => table.close()));
    this.standby.clear();
  }
}
