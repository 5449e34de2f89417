import type { PartitionTableStats } from '../table/partition-table-stats.js';
import type { ViewState } from './view-state.js';

/** A snapshot of a view (Goka's `ViewStats`): its state and every partition's table stats. */
export interface ViewStats {
  readonly table: string;
  readonly state: ViewState;
  /** One entry per partition, in partition order; empty while the view is idle. */
  readonly partitions: readonly PartitionTableStats[];
}
