/**
 * The bytes of one write batch on its way to the writer thread: per operation a type byte (1 put,
 * 0 delete), the key's UTF-8 length (uint32 LE) and bytes, and for a put the value's length and
 * bytes. One transferable buffer per batch, so the event loop only copies keys and values once.
 */

/** A batch for the writer thread. */
export interface WriterRequest {
  readonly id: number;
  readonly buffer: ArrayBuffer;
  readonly count: number;
}

/** The writer thread's answer: `error` is the binding's message when the batch failed. */
export interface WriterResponse {
  readonly id: number;
  readonly error?: string;
}

/** Operation types (the writer thread's decoder in `rocksdb-writer.ts` uses the same numbers). */
export const PUT = 1;
export const DEL = 0;

const NO_PREFIX = new Uint8Array(0);
/** Keys up to this many UTF-16 units are encoded by a JS loop when ASCII (cheaper than a native call); longer ones natively. */
const SHORT_KEY = 64;

/** Collects a batch's operations, then encodes them into one standalone buffer. */
export class WriteBatchEncoder {
  readonly #prefixes: Uint8Array[] = [];
  readonly #keys: string[] = [];
  readonly #values: Array<Buffer | undefined> = [];
  #bytes = 0;

  /** Puts `value` under the key `prefix` (bytes, e.g. a partition's `<topic>.<partition>/`) + `key` (UTF-8). */
  put(key: string, value: Buffer, prefix: Uint8Array = NO_PREFIX): void {
    this.#prefixes.push(prefix);
    this.#keys.push(key);
    this.#values.push(value);
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.#bytes += 9 + prefix.length + key.length * 3 + value.length;
  }

  /** Deletes the key `prefix` + `key`. */
  del(key: string, prefix: Uint8Array = NO_PREFIX): void {
    this.#prefixes.push(prefix);
    this.#keys.push(key);
    this.#values.push(undefined);
    this.#bytes += 5 + prefix.length + key.length * 3;
  }

  get count(): number {
    return this.#keys.length;
  }

  /**
   * The encoded batch, in a buffer of its own (transferable to the writer thread; it may end with
   * unused bytes). Prefixes and values are copied with `TypedArray#set` and short ASCII keys by a
   * loop: per operation a native `Buffer#write`/`copy` call (and the flattening of a concatenated
   * key string) cost more than the bytes they move.
   */
  encode(): ArrayBuffer {
    const buffer = Buffer.allocUnsafeSlow(this.#bytes);
    const keys = this.#keys;
    let at = 0;
    for (let i = 0; i < keys.length; i++) {
      const prefix = this.#prefixes[i] as Uint8Array;
      const key = keys[i] as string;
      const value = this.#values[i];
      buffer[at] = value === undefined ? DEL : PUT;
      let end = at + 5;
      if (prefix.length > 0) {
        buffer.set(prefix, end);
        end += prefix.length;
      }
      end += writeKey(buffer, key, end);
      buffer.writeUInt32LE(end - at - 5, at + 1);
      at = end;
      if (value !== undefined) {
        buffer.writeUInt32LE(value.length, at);
        buffer.set(value, at + 4);
        at += 4 + value.length;
      }
    }
    return buffer.buffer;
  }
}

/** Writes `key` as UTF-8 at `at`; returns its byte length. */
function writeKey(buffer: Buffer, key: string, at: number): number {
  const length = key.length;
  if (length <= SHORT_KEY) {
    let i = 0;
    for (; i < length; i++) {
      const code = key.charCodeAt(i);
      if (code >= 0x80) break;
      buffer[at + i] = code;
    }
    if (i === length) return length;
  }
  return buffer.write(key, at, 'utf8');
}
