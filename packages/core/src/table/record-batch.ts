import type { Codec } from '../codec/codec.js';
import { CodecError } from '../errors/codec-error.js';
import { TableDecodeError } from '../errors/table-error.js';
import type { KafkaMessage } from '../kafka/message.js';
import type { StorageOp } from '../storage/storage.js';

/** What a table needs of a codec to check values: a view passes its codec. */
export type ValueDecoder = Pick<Codec<unknown>, 'name' | 'decode'>;

/** The storage ops of one fetched batch and its size. */
export interface BatchOps {
  readonly ops: StorageOp[];
  /** Key plus value bytes of the batch's records. */
  readonly bytes: number;
}

/** The storage key of a table record: its key bytes as UTF-8; a record without key has key `''` (as in Goka). */
export function recordKey(message: KafkaMessage): string {
  return message.key === null ? '' : message.key.toString('utf8');
}

/**
 * Goka's default update for a whole batch: a put per value, a delete per `null` value (in record
 * order, so the last record of a key wins). When `decoder` is given every value is decoded first,
 * and the first one that fails throws a {@link TableDecodeError} (topic, partition, offset, key),
 * before anything was written. `messages` must not be empty.
 */
export function toStorageOps(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  decoder: ValueDecoder | undefined,
): BatchOps {
  const ops: StorageOp[] = [];
  let bytes = 0;
  for (const message of messages) {
    const key = recordKey(message);
    const value = message.value;
    if (value === null) {
      ops.push({ type: 'del', key });
    } else {
      if (decoder !== undefined) checkDecodes(topic, partition, messages, message, key, decoder);
      ops.push({ type: 'put', key, value });
      bytes += value.length;
    }
    if (message.key !== null) bytes += message.key.length;
  }
  return { ops, bytes };
}

/** Throws a {@link TableDecodeError} when `decoder` cannot decode any non-null value of `messages`. */
export function validateBatch(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  decoder: ValueDecoder,
): void {
  for (const message of messages) {
    if (message.value !== null) checkDecodes(topic, partition, messages, message, recordKey(message), decoder);
  }
}

function checkDecodes(
  topic: string,
  partition: number,
  batch: readonly KafkaMessage[],
  message: KafkaMessage,
  key: string,
  decoder: ValueDecoder,
): void {
  try {
    decoder.decode(message.value as Buffer);
  } catch (error) {
    const cause = CodecError.wrap(error, { operation: 'decode', codec: decoder.name });
    const first = (batch[0] as KafkaMessage).offset;
    const last = (batch[batch.length - 1] as KafkaMessage).offset;
    throw new TableDecodeError({ topic, partition, offset: message.offset, key }, { first, last }, cause);
  }
}
