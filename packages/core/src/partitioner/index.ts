export { fnv1a32, fnv1a32Bytes } from './fnv1a.js';
export type { Hasher } from './hasher.js';
export { hashPartitioner, partitionFor } from './partitioner.js';
export type { Partitioner } from './partitioner.js';
