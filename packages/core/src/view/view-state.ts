import type { PartitionState } from '../table/partition-state.js';

/**
 * The states of a view, in order (Goka's `ViewState`: Idle 0, Initializing 1, Connecting 2,
 * CatchUp 3, Running 4). A view's state is the minimum over its partitions.
 *
 * - `idle`: not running (before `run()`, after it settled).
 * - `initializing`: connecting to Kafka, listing partitions, opening storages. Reads fail.
 * - `connecting`: asking Kafka for offsets (also while waiting to reconnect). Reads serve local data.
 * - `catching-up`: recovering the table up to its high-water mark. Reads serve (possibly stale) local data.
 * - `running`: every partition recovered; new records keep being applied.
 */
export const VIEW_STATES = ['idle', 'initializing', 'connecting', 'catching-up', 'running'] as const;

/** One of {@link VIEW_STATES}. */
export type ViewState = (typeof VIEW_STATES)[number];

/** Called after every change of a view's state. */
export type ViewStateListener = (state: ViewState, previous: ViewState) => void;

/**
 * A partition table's state as a view state (Goka): stopped → idle, initializing → initializing,
 * connecting → connecting, recovering and preparing → catching-up, running → running.
 */
export function viewStateOf(state: PartitionState): ViewState {
  switch (state) {
    case 'stopped':
      return 'idle';
    case 'initializing':
      return 'initializing';
    case 'connecting':
      return 'connecting';
    case 'recovering':
    case 'preparing':
      return 'catching-up';
    case 'running':
      return 'running';
  }
}
