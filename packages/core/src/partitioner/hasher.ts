/**
 * A 32-bit hash of a key (Goka's `WithHasher`). The result is read as a signed int32 (`h | 0`), so
 * returning either the unsigned or the signed form of the same 32 bits gives the same partition.
 */
export type Hasher = (key: string) => number;
