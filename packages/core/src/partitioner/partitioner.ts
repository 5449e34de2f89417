import { invalidPartitionCount } from './partitioner.messages.js';
import { fnv1a32 } from './fnv1a.js';
import type { Hasher } from './hasher.js';

/** Maps a key to a partition in `[0, partitionCount)`. */
export type Partitioner = (key: string, partitionCount: number) => number;

/**
 * Goka's partition of a key: the hash (FNV-1a 32 over the UTF-8 bytes unless `hasher` is given)
 * read as a signed int32, `h % partitionCount`, negated if negative — sarama's hash partitioner as
 * Goka configures it. Every producer (emitter, outputs, loop, table writes) and every key lookup
 * must use it; Kafka clients' default partitioners (murmur2) place keys elsewhere.
 *
 * @throws RangeError when `partitionCount` is not a positive 32-bit integer.
 */
export function partitionFor(key: string, partitionCount: number, hasher: Hasher = fnv1a32): number {
  if (!(partitionCount >= 1 && partitionCount <= 0x7fffffff && Number.isInteger(partitionCount))) {
    throw new RangeError(invalidPartitionCount(partitionCount));
  }
  // Math.abs also turns the -0 of e.g. `-10 % 5` into 0. Unlike Goka's lookup side, int32 min
  // (0x80000000) gets the producer's result, not a negative index.
  return Math.abs((hasher(key) | 0) % partitionCount);
}

/** A {@link Partitioner} using `hasher` instead of FNV-1a (Goka's `WithHasher`). */
export function hashPartitioner(hasher: Hasher): Partitioner {
  return (key, partitionCount) => partitionFor(key, partitionCount, hasher);
}
