import { CodecError } from '@goka/core';
import { compareUtf8 } from '@goka/core/storage';
import type { Codec, MemoryKafka } from '@goka/core';

/**
 * The newest value bytes of `key` in table topic `table` (partition `partition`): `null` for a
 * tombstone, `undefined` when the key was never written. The table topic is the truth the tester
 * reads (as a read_committed consumer: without aborted transactions), whichever instance holds the
 * partition.
 */
export function latestValue(kafka: MemoryKafka, table: string, partition: number, key: string): Buffer | null | undefined {
  const records = kafka.read(table, partition, 0, Number.MAX_SAFE_INTEGER, 'read_committed');
  for (let index = records.length - 1; index >= 0; index--) {
    const record = records[index];
    if (record !== undefined && record.key?.toString('utf8') === key) return record.value;
  }
  return undefined;
}

/** The keys of `table` whose newest record is not a tombstone, in UTF-8 byte order. */
export function liveKeys(kafka: MemoryKafka, table: string): string[] {
  const description = kafka.describeTopic(table);
  if (description === undefined) return [];
  const newest = new Map<string, Buffer | null>();
  for (const partition of description.partitions) {
    for (const record of kafka.read(table, partition, 0, Number.MAX_SAFE_INTEGER, 'read_committed')) {
      if (record.key !== null) newest.set(record.key.toString('utf8'), record.value);
    }
  }
  return [...newest].filter(([, value]) => value !== null).map(([key]) => key).sort(compareUtf8);
}

/** Encodes `value` with `codec`; a failure names topic and key. */
export function encodeValue<V>(codec: Codec<V>, value: V, topic: string, key: string): Buffer {
  try {
    return codec.encode(value);
  } catch (error) {
    throw CodecError.wrap(error, { operation: 'encode', topic, key });
  }
}

/** Decodes `bytes` with `codec`; a failure names topic and key. */
export function decodeValue<V>(codec: Codec<V>, bytes: Buffer, topic: string, key: string): V {
  try {
    return codec.decode(bytes);
  } catch (error) {
    throw CodecError.wrap(error, { operation: 'decode', topic, key });
  }
}
