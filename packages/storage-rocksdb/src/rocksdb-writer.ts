import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { WriteBatchEncoder, WriterRequest, WriterResponse } from './rocksdb-write-encoding.js';

/**
 * The writer thread's code, run with `eval` (so it needs no file of its own, from `src/` or `dist/`):
 * it opens the database the main thread opened through its native handle and applies each encoded
 * batch (see `rocksdb-write-encoding.ts`) in arrival order, answering with the batch id and the
 * binding's error message, if any. Self-contained: it may use only `require` and its workerData.
 */
function writerThread(require: NodeJS.Require): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { bindingPath, handle, sync } = workerData as { bindingPath: string; handle: bigint; sync: boolean };
  const native = require(bindingPath) as import('./rocksdb-binding.js').RocksDbNative;
  const context = native.db_init(handle);
  const options = { sync };
  parentPort?.on('message', ({ id, buffer, count }: WriterRequest) => {
    let error: string | undefined;
    try {
      const bytes = Buffer.from(buffer);
      const batch = native.batch_init();
      let at = 0;
      for (let i = 0; i < count; i++) {
        const put = bytes[at] === 1;
        const keyLength = bytes.readUInt32LE(at + 1);
        const key = bytes.subarray(at + 5, at + 5 + keyLength);
        at += 5 + keyLength;
        if (put) {
          const valueLength = bytes.readUInt32LE(at);
          native.batch_put(batch, key, bytes.subarray(at + 4, at + 4 + valueLength));
          at += 4 + valueLength;
        } else {
          native.batch_del(batch, key);
        }
      }
      native.batch_write(context, batch, options);
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker_threads port, not a window
    parentPort?.postMessage(error === undefined ? { id } : { id, error });
  });
}

const WRITER_SOURCE = `(${writerThread.toString()})(require);`;

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Applies a database's write batches on a thread of its own, in call order. The binding writes a batch
 * synchronously on the calling thread (building it is one native call per operation, then the WAL and
 * memtable inserts); here the event loop only encodes the batch into one transferable buffer. The
 * thread keeps the process alive only while writes are pending.
 */
export class RocksDbWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** One promise per pending write that settles with it and never rejects: what `close()` waits for. */
  readonly #settling = new Set<Promise<void>>();
  #next = 0;
  #failure: Error | undefined;

  constructor(handle: bigint, sync: boolean) {
    const bindingPath = createRequire(import.meta.url).resolve('@nxtedition/rocksdb/binding.js');
    this.#worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { bindingPath, handle, sync } });
    this.#worker.unref();
    this.#worker.on('message', ({ id, error }: WriterResponse) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (error === undefined) pending?.resolve();
      else pending?.reject(new Error(error));
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the RocksDB writer thread exited with code ${code}`)));
  }

  /** Applies the batch; resolves once it is in the database (WAL and memtable). */
  write(batch: WriteBatchEncoder): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#next++;
    const buffer = batch.encode();
    const written = new Promise<void>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    const settled = written.then(
      () => undefined,
      () => undefined,
    );
    this.#settling.add(settled);
    void settled.then(() => this.#settling.delete(settled));
    if (this.#pending.size === 1) this.#worker.ref();
    const request: WriterRequest = { id, buffer, count: batch.count };
    this.#worker.postMessage(request, [buffer]);
    return written;
  }

  /** Waits for the pending writes, then ends the thread. */
  async close(): Promise<void> {
    await Promise.all(this.#settling);
    this.#failure ??= new Error('the RocksDB writer is closed');
    await this.#worker.terminate();
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined && this.#pending.size === 0) return;
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
