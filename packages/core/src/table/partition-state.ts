/**
 * The states of a partition table, in order (Goka's `PartitionStatus`: Stopped 0, Initializing 1,
 * Connecting 2, Recovering 3, Preparing 4, Running 5).
 *
 * - `stopped`: not set up, or closed.
 * - `initializing`: opening the local storage.
 * - `connecting`: reading the stored offset and asking Kafka for oldest offset and high-water mark
 *   (also while waiting to retry after a Kafka error).
 * - `recovering`: reading the table topic up to the high-water mark measured when loading started.
 * - `preparing`: marking the storage recovered.
 * - `running`: caught up; in catch-up mode new records keep being applied.
 */
export const PARTITION_STATES = ['stopped', 'initializing', 'connecting', 'recovering', 'preparing', 'running'] as const;

/** One of {@link PARTITION_STATES}. */
export type PartitionState = (typeof PARTITION_STATES)[number];
