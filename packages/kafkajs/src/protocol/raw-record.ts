import type { Headers, KafkaMessage } from '@goka/core/kafka';
import type { RawRecord } from '../kafkajs-internals.js';

/** Turns a decoded fetch record into a {@link KafkaMessage}; for repeated header names the last wins. */
export function toKafkaMessage(topic: string, partition: number, offset: number, raw: RawRecord): KafkaMessage {
  return {
    topic,
    partition,
    offset,
    key: raw.key,
    value: raw.value,
    headers: flattenHeaders(raw.headers),
    timestamp: Number(raw.timestamp),
  };
}

const NO_HEADERS: Headers = Object.freeze({});

function flattenHeaders(headers: RawRecord['headers']): Headers {
  let result: Record<string, Buffer> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    result ??= {};
    result[name] = Array.isArray(value) ? (value[value.length - 1] as Buffer) : value;
  }
  return result ?? NO_HEADERS;
}
