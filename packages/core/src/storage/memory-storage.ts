import type { StorageLocation } from '../errors/storage-error.js';
import { StorageClosedError } from '../errors/storage-error.js';
import { SnapshotIterator } from './snapshot-iterator.js';
import { checkKey, checkOffset, checkOps, checkValue, checkWritableKey } from './storage-checks.js';
import type { Storage, StorageIterator, StorageOp, StorageRange } from './storage.js';
import { compareUtf8, lowerBound, normalizeKey } from './utf8-order.js';

/** Options of {@link MemoryStorage}; topic and partition only name the store in errors. */
export interface MemoryStorageOptions {
  readonly topic?: string;
  readonly partition?: number;
}

/**
 * In-memory {@link Storage} (Goka's `storage.NewMemory`): a map plus a lazily sorted key list,
 * snapshot iterators, and the offset kept outside the key space. Values are copied in and out, so
 * callers can never change stored bytes. For tests and the embedded mode; state is lost on close.
 *
 * Behaves like the RocksDB store, including the reserved `__offset` key (refused on write, absent
 * on read) and UTF-8 byte order of keys.
 */
export class MemoryStorage implements Storage {
  readonly #values = new Map<string, Buffer>();
  /** Keys in UTF-8 byte order; `undefined` after a key was added or removed. */
  #sorted: string[] | undefined = [];
  #offset: number | undefined;
  #recovered = false;
  #closed = false;
  readonly #location: StorageLocation;

  constructor(options: MemoryStorageOptions = {}) {
    this.#location = { topic: options.topic, partition: options.partition };
  }

  /** Number of keys stored. */
  get size(): number {
    return this.#values.size;
  }

  /** Whether {@link markRecovered} was called. */
  get recovered(): boolean {
    return this.#recovered;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async get(key: string): Promise<Buffer | undefined> {
    this.#open('get');
    checkKey(key, this.#location);
    const value = this.#values.get(normalizeKey(key));
    return value === undefined ? undefined : Buffer.from(value);
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    this.#open('getMany');
    const result: (Buffer | undefined)[] = [];
    for (const key of keys) {
      checkKey(key, this.#location);
      const value = this.#values.get(normalizeKey(key));
      result.push(value === undefined ? undefined : Buffer.from(value));
    }
    return result;
  }

  async has(key: string): Promise<boolean> {
    this.#open('has');
    checkKey(key, this.#location);
    return this.#values.has(normalizeKey(key));
  }

  async set(key: string, value: Buffer): Promise<void> {
    this.#open('set');
    checkWritableKey(key, this.#location);
    checkValue(key, value, this.#location);
    this.#put(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#open('delete');
    checkWritableKey(key, this.#location);
    this.#del(key);
  }

  async write(ops: readonly StorageOp[], offset?: number): Promise<void> {
    this.#open('write');
    checkOps(ops, this.#location);
    if (offset !== undefined) checkOffset(offset, this.#location);
    for (const op of ops) {
      if (op.type === 'put') this.#put(op.key, op.value);
      else this.#del(op.key);
    }
    if (offset !== undefined) this.#offset = offset;
  }

  async getOffset(): Promise<number | undefined> {
    this.#open('getOffset');
    return this.#offset;
  }

  async setOffset(offset: number): Promise<void> {
    this.#open('setOffset');
    checkOffset(offset, this.#location);
    this.#offset = offset;
  }

  async markRecovered(): Promise<void> {
    this.#open('markRecovered');
    this.#recovered = true;
  }

  iterator(range: StorageRange = {}): StorageIterator {
    const closedError = (): Error | undefined =>
      this.#closed ? new StorageClosedError(this.#location, 'iterate') : undefined;
    if (this.#closed) return new SnapshotIterator([], [], closedError);
    const sorted = this.#sortedKeys();
    const gte = range.gte === undefined ? undefined : normalizeKey(range.gte);
    const lt = range.lt === undefined ? undefined : normalizeKey(range.lt);
    const start = gte === undefined ? 0 : lowerBound(sorted, gte);
    const end = lt === undefined ? sorted.length : lowerBound(sorted, lt);
    const keys = start < end ? sorted.slice(start, end) : [];
    // Stored Buffers are never mutated (writes replace them), so capturing references is a snapshot.
    const values = keys.map((key) => this.#values.get(key) as Buffer);
    return new SnapshotIterator(keys, values, closedError);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#values.clear();
    this.#sorted = [];
  }

  #open(operation: string): void {
    if (this.#closed) throw new StorageClosedError(this.#location, operation);
  }

  #put(key: string, value: Buffer): void {
    const normalized = normalizeKey(key);
    if (this.#sorted !== undefined && !this.#values.has(normalized)) this.#sorted = undefined;
    this.#values.set(normalized, Buffer.from(value));
  }

  #del(key: string): void {
    if (this.#values.delete(normalizeKey(key))) this.#sorted = undefined;
  }

  #sortedKeys(): string[] {
    if (this.#sorted === undefined) this.#sorted = [...this.#values.keys()].toSorted(compareUtf8);
    return this.#sorted;
  }
}
