/** Messages of the partitioner. */

/** The partition count passed to the partitioner is not a positive 32-bit integer. */
export function invalidPartitionCount(count: number): string {
  return `partition count must be a positive integer, got ${String(count)}`;
}
