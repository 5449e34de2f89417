import type { EmitOptions } from './emitter-options.js';

/** What `Emitter.stats` reports. */
export interface EmitterStats {
  /** Records in the buffer: waiting for a send, in flight, or waiting to be sent again. */
  readonly bufferedRecords: number;
  /** Key and value bytes of those records. */
  readonly bufferedBytes: number;
  /** Emits waiting for buffer space (their records are encoded, not yet buffered). */
  readonly waitingEmits: number;
  /** Whether the last send (or connect) failed with a retriable error: the emitter is retrying. */
  readonly retrying: boolean;
}

/** What the function of `Emitter.transaction` emits through. */
export interface EmitterTransaction<V> {
  /** Adds a record to the transaction (sent when the function returns). `null` is a tombstone. */
  emit(key: string, value: V | null, options?: EmitOptions): void;
}
