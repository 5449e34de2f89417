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

/** Collects a batch's operations, then encodes them into one standalone buffer. */
export class WriteBatchEncoder {
  readonly #keys: string[] = [];
  readonly #values: Array<Buffer | undefined> = [];
  #bytes = 0;

  put(key: string, value: Buffer): void {
    this.#keys.push(key);
    this.#values.push(value);
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.#bytes += 9 + key.length * 3 + value.length;
  }

  del(key: string): void {
    this.#keys.push(key);
    this.#values.push(undefined);
    this.#bytes += 5 + key.length * 3;
  }

  get count(): number {
    return this.#keys.length;
  }

  /** The encoded batch, in a buffer of its own (transferable to the writer thread; it may end with unused bytes). */
  encode(): ArrayBuffer {
    const buffer = Buffer.allocUnsafeSlow(this.#bytes);
    let at = 0;
    for (let i = 0; i < this.#keys.length; i++) {
      const key = this.#keys[i] as string;
      const value = this.#values[i];
      buffer[at] = value === undefined ? DEL : PUT;
      const length = buffer.write(key, at + 5, 'utf8');
      buffer.writeUInt32LE(length, at + 1);
      at += 5 + length;
      if (value !== undefined) {
        buffer.writeUInt32LE(value.length, at);
        value.copy(buffer, at + 4);
        at += 4 + value.length;
      }
    }
    return buffer.buffer;
  }
}
